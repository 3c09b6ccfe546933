/* Maps of the Clusterdatenbank: the initiative map (/karte/) and the small map of a profile.
 *
 * No tiles: the base map is our own outlines (BKG VG5000, served as GeoJSON).
 * Data comes from <script type="application/json"> blocks (Django's json_script);
 * names are put into the page with textContent only, never as HTML.
 * No inline scripts or styles, so a strict Content-Security-Policy holds.
 */
(function () {
  "use strict";

  if (!window.L) {
    return; // Leaflet did not load: the page keeps its table and text.
  }

  // The page's language: the template puts translated texts on this script's tag.
  var TEXTS = (document.currentScript && document.currentScript.dataset) || {};

  var FALLBACK_COLOURS = {
    cluster_initiative: "#0b5cad",
    statewide_network: "#b35c00",
    state_agency: "#6b3fa0",
  };

  function kindColour(kind) {
    // One source for the colours: the custom properties of portal.css.
    var value = getComputedStyle(document.documentElement)
      .getPropertyValue("--kind-" + kind)
      .trim();
    return value || FALLBACK_COLOURS[kind] || "#0b5cad";
  }

  function readJSON(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function fetchJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + ": " + response.status);
      }
      return response.json();
    });
  }

  function createMap(element, options) {
    var map = L.map(
      element,
      Object.assign({ zoomSnap: 0.25, minZoom: 6, maxZoom: 14, zoomControl: false }, options)
    );
    L.control
      .zoom({
        zoomInTitle: TEXTS.zoomIn || "Zoom in",
        zoomOutTitle: TEXTS.zoomOut || "Zoom out",
      })
      .addTo(map);
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && TEXTS.closePopup) {
        close.setAttribute("aria-label", TEXTS.closePopup);
      }
    });
    // The licence of the outlines asks for its notice beside the map (dl-de/by-2-0).
    var notice = document.getElementById("bkg-attribution");
    if (notice) {
      map.attributionControl.addAttribution(notice.innerHTML);
    }
    map.createPane("outlines");
    map.getPane("outlines").style.zIndex = 350; // below the markers (overlayPane: 400)
    return map;
  }

  // Room for the zoom buttons and the attribution line.
  var FIT = { paddingTopLeft: [40, 10], paddingBottomRight: [10, 36], animate: false };

  function fit(map, bounds, options) {
    map.fitBounds(bounds, Object.assign({}, FIT, options || {}));
  }

  function textElement(tag, className, text) {
    var element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    element.textContent = text;
    return element;
  }

  function popupContent(marker) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    var link = textElement("a", "", marker.name);
    link.href = marker.url;
    title.appendChild(link);
    box.appendChild(title);
    var details = [marker.kindLabel];
    if (marker.city) {
      details.push(marker.city);
    }
    box.appendChild(textElement("div", "map-popup-kind", details.join(" · ")));
    return box;
  }

  function outlineLayer(data, style, withNames) {
    return L.geoJSON(data, {
      pane: "outlines",
      style: style,
      interactive: withNames,
      onEachFeature: withNames
        ? function (feature, layer) {
            layer.bindTooltip(textElement("span", "map-kreis-label", feature.properties.name), {
              sticky: true,
            });
          }
        : undefined,
    });
  }

  var KREIS_STYLE = { color: "#7d8a96", weight: 1, fillColor: "#ffffff", fillOpacity: 0.7 };
  var REGION_STYLE = { color: "#3d4a57", weight: 2.5, fill: false };

  // The base map: all Kreise (cached GeoJSON, named on hover) under the thick
  // lines of the Regionen; the view then fits the whole Land.
  function drawLandOutlines(map, element) {
    fetchJSON(element.dataset.kreiseUrl)
      .then(function (kreise) {
        var layer = outlineLayer(kreise, KREIS_STYLE, true).addTo(map);
        layer.bringToBack();
        fit(map, layer.getBounds());
        return fetchJSON(element.dataset.regionenUrl);
      })
      .then(function (regions) {
        outlineLayer(regions, REGION_STYLE, false).addTo(map);
      })
      .catch(function (error) {
        console.error("map outlines:", error);
      });
  }

  // Markers that share a point (the centre of a Kreis) sit in a sunflower spiral
  // around it, SPACING pixels apart at every zoom (the golden angle spreads them evenly).
  var SPACING = 8;
  var GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

  function spotOffset(spot) {
    var index = spot[0];
    if (spot[1] < 2) {
      return L.point(0, 0);
    }
    var radius = SPACING * Math.sqrt(index + 0.5);
    var angle = index * GOLDEN_ANGLE;
    return L.point(radius * Math.cos(angle), radius * Math.sin(angle));
  }

  function placeMarkers(map, placed) {
    var zoom = map.getZoom();
    placed.forEach(function (item) {
      var centre = map.project([item.data.lat, item.data.lon], zoom);
      item.layer.setLatLng(map.unproject(centre.add(spotOffset(item.data.spot)), zoom));
    });
  }

  function initiativeMap(element) {
    var panel = document.getElementById("map-panel");
    if (panel) {
      panel.hidden = false;
    }
    var map = createMap(element, {});
    map.setView([48.6, 9.0], 7);
    var placed = (readJSON("map-markers") || []).map(function (marker) {
      var colour = kindColour(marker.kind);
      var layer = L.circleMarker([marker.lat, marker.lon], {
        radius: 6,
        color: marker.active ? "#ffffff" : colour,
        weight: marker.active ? 1.5 : 2.5,
        fillColor: marker.active ? colour : "#ffffff",
        fillOpacity: 0.95,
      })
        .bindPopup(popupContent(marker))
        .bindTooltip(textElement("span", "", marker.name));
      return { data: marker, layer: layer };
    });
    var group = L.featureGroup(placed.map(function (item) { return item.layer; })).addTo(map);
    if (placed.length) {
      fit(map, group.getBounds(), { maxZoom: 10 });
    }
    placeMarkers(map, placed);
    map.on("zoomend", function () {
      placeMarkers(map, placed);
    });
    drawLandOutlines(map, element);
    // With the map drawn, the table of the same entries folds away (still one click).
    var table = document.getElementById("map-table");
    if (table) {
      table.open = false;
    }
  }

  function profileMap(element) {
    var data = readJSON("profile-map-data");
    if (!data) {
      return;
    }
    element.hidden = false;
    var map = createMap(element, { scrollWheelZoom: false });
    var focus = null;
    if (data.region) {
      focus = outlineLayer(data.region, { color: "#3d4a57", weight: 2, fillColor: "#ffffff", fillOpacity: 0.8 }, false).addTo(map);
    }
    if (data.kreis) {
      var kreis = outlineLayer(data.kreis, { color: "#0b5cad", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.18 }, true).addTo(map);
      focus = focus || kreis;
    }
    if (data.marker) {
      L.circleMarker([data.marker.lat, data.marker.lon], {
        radius: 7, color: "#ffffff", weight: 1.5, fillColor: "#b3261e", fillOpacity: 1,
      }).bindTooltip(textElement("span", "", data.marker.name)).addTo(map);
    }
    if (focus) {
      fit(map, focus.getBounds());
    } else if (data.marker) {
      map.setView([data.marker.lat, data.marker.lon], 9);
    }
    if (!data.region) {
      // A state-wide entry: the Kreise and the twelve Regionen give the context.
      drawLandOutlines(map, element);
    }
  }

  var overview = document.getElementById("initiative-map");
  if (overview) {
    initiativeMap(overview);
  }
  var small = document.getElementById("profile-map");
  if (small) {
    profileMap(small);
  }
})();
