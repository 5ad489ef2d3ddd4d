"""Places and maps, Qt-free: the offline gazetteer (a GeoNames extract in resources/gazetteer), the project's
own places, place names found in text, and the map's projection, clustering and boundary data."""
