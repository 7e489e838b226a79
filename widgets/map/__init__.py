"""The map panel: a Leaflet page built once by folium, fed live through a small JS API."""
