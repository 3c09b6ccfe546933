/* The choropleth of a cluster page: region outlines coloured by location-quotient class.
 *
 * Data from <script type="application/json" id="choropleth-data"> (json_script);
 * names are set with textContent only. No tiles, no inline code (strict CSP).
 * Without JavaScript the page keeps its table, which holds the same values.
 */
(function () {
  "use strict";
  // The page's language: the template puts translated texts on this script's tag.
  var TEXTS = (document.currentScript && document.currentScript.dataset) || {};
  var element = document.getElementById("choropleth");
  var dataElement = document.getElementById("choropleth-data");
  if (!window.L || !element || !dataElement) {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  document.getElementById("choropleth-panel").hidden = false;

  var map = L.map(element, { zoomSnap: 0.25, scrollWheelZoom: false, zoomControl: false });
  L.control
    .zoom({ zoomInTitle: TEXTS.zoomIn || "Zoom in", zoomOutTitle: TEXTS.zoomOut || "Zoom out" })
    .addTo(map);
  // The licence of the BKG outlines asks for its notice beside the map (dl-de/by-2-0).
  var notice = document.getElementById("bkg-attribution");
  if (notice) {
    map.attributionControl.addAttribution(notice.innerHTML);
  } else if (data.attribution) {
    var text = document.createElement("span");
    text.textContent = data.attribution;
    map.attributionControl.addAttribution(text.innerHTML);
  }

  // The view fits the main body of regions: outliers far from the median centre
  // (Alaska across the date line, Hawaii) are drawn but do not shrink the map.
  function mainBounds(layer) {
    var centres = [];
    layer.eachLayer(function (shape) {
      centres.push({ shape: shape, centre: shape.getBounds().getCenter() });
    });
    function median(values) {
      values.sort(function (a, b) { return a - b; });
      return values[Math.floor(values.length / 2)];
    }
    var lng = median(centres.map(function (c) { return c.centre.lng; }));
    var lat = median(centres.map(function (c) { return c.centre.lat; }));
    var bounds = null;
    centres.forEach(function (c) {
      var wide = c.shape.getBounds().getEast() - c.shape.getBounds().getWest() > 60;
      if (!wide && Math.abs(c.centre.lng - lng) < 35 && Math.abs(c.centre.lat - lat) < 20) {
        bounds = bounds ? bounds.extend(c.shape.getBounds()) : L.latLngBounds(c.shape.getBounds().getSouthWest(), c.shape.getBounds().getNorthEast());
      }
    });
    return bounds || layer.getBounds();
  }

  function style(feature) {
    var region = data.regions[feature.id];
    var known = region && region.class !== null;
    return {
      color: region && region.strong ? "#1b1f24" : "#7d8a96",
      weight: region && region.strong ? 2.5 : 0.6,
      fillColor: known ? data.classes[region.class].colour : data.noData,
      fillOpacity: 0.9,
    };
  }

  function tooltip(feature) {
    var region = data.regions[feature.id];
    var box = document.createElement("span");
    box.className = "map-tooltip";
    var text = feature.properties.name;
    if (region) {
      text += ": " + (region.lq === null ? "–" : String(region.lq).replace(".", data.decimal));
    }
    box.textContent = text;
    return box;
  }

  fetch(element.dataset.outlinesUrl, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    })
    .then(function (outlines) {
      var layer = L.geoJSON(outlines, {
        style: style,
        onEachFeature: function (feature, shape) {
          shape.bindTooltip(tooltip(feature), { sticky: true });
          var region = data.regions[feature.id];
          if (region) {
            shape.on("click", function () {
              window.location.href = region.url;
            });
          }
        },
      }).addTo(map);
      map.fitBounds(mainBounds(layer), { padding: [8, 8], animate: false });
      var table = document.getElementById("region-table");
      if (table) {
        table.open = false;
      }
    })
    .catch(function (error) {
      console.error("atlas map:", error);
    });
})();
