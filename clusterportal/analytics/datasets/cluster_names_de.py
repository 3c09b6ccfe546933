"""German names for the 67 benchmark clusters.

Our own translation (Clusterportal project), not an official one: neither the U.S. Cluster
Mapping project nor a German statistical office publishes German names for these clusters.
"""

from __future__ import annotations

TRANSLATION_NOTE = "Eigene Übersetzung des Clusterportal-Projekts, keine amtliche Bezeichnung"

NAMES_DE: dict[str, str] = {
    "Aerospace Vehicles and Defense": "Luft- und Raumfahrzeuge, Verteidigung",
    "Agricultural Inputs and Services": "Landwirtschaftliche Vorleistungen und Dienste",
    "Apparel": "Bekleidung",
    "Automotive": "Automobilindustrie",
    "Biopharmaceuticals": "Biopharmazie",
    "Business Services": "Unternehmensdienstleistungen",
    "Coal Mining": "Kohlebergbau",
    "Communications Equipment and Services": "Kommunikationstechnik und -dienste",
    "Construction Products and Services": "Bauprodukte und Baudienstleistungen",
    "Distribution and Electronic Commerce": "Großhandel, Distribution und E-Commerce",
    "Downstream Chemical Products": "Chemische Folgeprodukte",
    "Downstream Metal Products": "Metallerzeugnisse",
    "Education and Knowledge Creation": "Bildung und Wissensproduktion",
    "Electric Power Generation and Transmission": "Stromerzeugung und -übertragung",
    "Environmental Services": "Umweltdienstleistungen",
    "Financial Services": "Finanzdienstleistungen",
    "Fishing and Fishing Products": "Fischerei und Fischerzeugnisse",
    "Food Processing and Manufacturing": "Nahrungsmittelverarbeitung und -herstellung",
    "Footwear": "Schuhe",
    "Forestry": "Forstwirtschaft",
    "Furniture": "Möbel",
    "Hospitality and Tourism": "Gastgewerbe und Tourismus",
    "Information Technology and Analytical Instruments": (
        "Informationstechnik und Analyseinstrumente"
    ),
    "Insurance Services": "Versicherungsdienstleistungen",
    "Jewelry and Precious Metals": "Schmuck und Edelmetalle",
    "Leather and Related Products": "Leder und Lederwaren",
    "Lighting and Electrical Equipment": "Beleuchtung und elektrische Ausrüstungen",
    "Livestock Processing": "Verarbeitung tierischer Erzeugnisse",
    "Marketing, Design, and Publishing": "Marketing, Design und Verlagswesen",
    "Medical Devices": "Medizintechnik",
    "Metal Mining": "Erzbergbau",
    "Metalworking Technology": "Metallbearbeitungstechnik",
    "Music and Sound Recording": "Musik und Tonaufnahmen",
    "Nonmetal Mining": "Gewinnung von Steinen und Erden",
    "Oil and Gas Production and Transportation": "Erdöl und Erdgas: Förderung und Transport",
    "Paper and Packaging": "Papier und Verpackung",
    "Performing Arts": "Darstellende Künste",
    "Plastics": "Kunststoffe",
    "Printing Services": "Druckdienstleistungen",
    "Production Technology and Heavy Machinery": "Produktionstechnik und Schwermaschinen",
    "Recreational and Small Electric Goods": "Freizeitartikel und elektrische Kleingeräte",
    "Textile Manufacturing": "Textilherstellung",
    "Tobacco": "Tabak",
    "Trailers, Motor Homes, and Appliances": "Anhänger, Wohnmobile und Haushaltsgeräte",
    "Transportation and Logistics": "Transport und Logistik",
    "Upstream Chemical Products": "Chemische Grundstoffe",
    "Upstream Metal Manufacturing": "Metallerzeugung",
    "Video Production and Distribution": "Film- und Videoproduktion und -vertrieb",
    "Vulcanized and Fired Materials": "Vulkanisierte und gebrannte Werkstoffe",
    "Water Transportation": "Schifffahrt",
    "Wood Products": "Holzprodukte",
    "Local Food and Beverage Processing and Distribution": (
        "Lokale Lebensmittel- und Getränkeherstellung und -verteilung"
    ),
    "Local Personal Services (Non-Medical)": (
        "Lokale persönliche Dienstleistungen (nicht medizinisch)"
    ),
    "Local Health Services": "Lokale Gesundheitsdienste",
    "Local Utilities": "Lokale Versorgungsbetriebe",
    "Local Logistical Services": "Lokale Logistikdienste",
    "Local Household Goods and Services": "Lokale Haushaltswaren und -dienstleistungen",
    "Local Financial Services": "Lokale Finanzdienstleistungen",
    "Local Motor Vehicle Products and Services": "Lokale Kfz-Produkte und -Dienstleistungen",
    "Local Retailing of Clothing and General Merchandise": (
        "Lokaler Einzelhandel mit Bekleidung und Waren verschiedener Art"
    ),
    "Local Entertainment and Media": "Lokale Unterhaltung und Medien",
    "Local Hospitality Establishments": "Lokale Gastronomie und Beherbergung",
    "Local Commercial Services": "Lokale gewerbliche Dienstleistungen",
    "Local Education and Training": "Lokale Bildung und Ausbildung",
    "Local Community and Civic Organizations": "Lokale Vereine und Bürgerorganisationen",
    "Local Real Estate, Construction, and Development": (
        "Lokale Immobilienwirtschaft, Bau und Projektentwicklung"
    ),
    "Local Industrial Products and Services": "Lokale industrielle Produkte und Dienstleistungen",
}
