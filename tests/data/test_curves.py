"""aelib.data.curves: the synthetic curves of Hinton & Salakhutdinov, checked against hand geometry."""

import numpy as np
import pytest

from aelib.data.curves import curve_points, make_curves, order_shortest_path, render_curves


def test_the_quadratic_passes_through_the_three_points_in_order():
    p = np.array([[[3.0, 4.0], [10.0, 20.0], [22.0, 6.0]]])
    curve = curve_points(p, 1001)[0]
    np.testing.assert_allclose(curve[0], p[0, 0])
    np.testing.assert_allclose(curve[-1], p[0, 2])
    # The middle point is reached at t1 = |p1 - p0| / (|p1 - p0| + |p2 - p1|).
    a, b = np.linalg.norm(p[0, 1] - p[0, 0]), np.linalg.norm(p[0, 2] - p[0, 1])
    t = np.linspace(0, 1, 1001)
    at_middle = curve[np.argmin(abs(t - a / (a + b)))]
    np.testing.assert_allclose(at_middle, p[0, 1], atol=0.05)
    # A quadratic: third differences along equally spaced parameters vanish.
    np.testing.assert_allclose(np.diff(curve, n=3, axis=0), 0, atol=1e-9)


def test_collinear_points_give_a_straight_segment():
    p = np.array([[[0.0, 0.0], [1.0, 1.0], [3.0, 3.0]]])
    curve = curve_points(p, 50)[0]
    np.testing.assert_allclose(curve[:, 0], curve[:, 1], atol=1e-12)


def test_the_middle_point_is_opposite_the_longest_side():
    p = np.array(
        [
            [[0.0, 0.0], [10.0, 0.0], [5.0, 1.0]],  # middle: (5, 1)
            [[5.0, 1.0], [0.0, 0.0], [10.0, 0.0]],
        ]
    )  # same triangle, other order
    ordered = order_shortest_path(p)
    assert ordered[0, 1].tolist() == [5.0, 1.0] and ordered[1, 1].tolist() == [5.0, 1.0]
    assert {tuple(ordered[0, 0]), tuple(ordered[0, 2])} == {(0.0, 0.0), (10.0, 0.0)}


def test_a_horizontal_stroke_has_the_hand_computed_profile():
    # A line along row 3.0: pixels on it are at distance 0, their neighbours above and below
    # at 1 (intensity 1.25 - 1 = 0.25 with stroke_width 1.5), the next ones at 2 (dark).
    line = np.stack([np.full(400, 3.0), np.linspace(0, 6, 400)], axis=1)[None]
    image = render_curves(line, size=7, stroke_width=1.5)[0]
    np.testing.assert_allclose(image[3], 1.0)
    np.testing.assert_allclose(image[2], 0.25, atol=1e-3)
    np.testing.assert_allclose(image[4], 0.25, atol=1e-3)
    assert image[[0, 1, 5, 6]].max() == 0.0
    # Half a pixel off the grid: every row within 1.25 px lights up partially.
    shifted = render_curves(line + [0.5, 0.0], size=7, stroke_width=1.5)[0]
    np.testing.assert_allclose(shifted[3], 0.75, atol=1e-3)
    np.testing.assert_allclose(shifted[4], 0.75, atol=1e-3)


def test_images_are_seeded_in_range_and_pass_through_their_points():
    images, points = make_curves(50, seed=3)
    again, points_again = make_curves(50, seed=3)
    other, _ = make_curves(50, seed=4)
    np.testing.assert_array_equal(images, again)
    np.testing.assert_array_equal(points, points_again)
    assert not np.array_equal(images, other)
    assert images.dtype == np.float32 and images.shape == (50, 28, 28)
    assert 0.0 <= images.min() and images.max() <= 1.0
    assert points.min() >= 2.0 and points.max() <= 25.0
    # Each control point lies on its curve: the nearest pixel is lit (within half a pixel
    # diagonal, intensity at least 1.25 - 0.71).
    rows, cols = np.rint(points[..., 0]).astype(int), np.rint(points[..., 1]).astype(int)
    lit = images[np.arange(50)[:, None], rows, cols]
    assert lit.min() >= 0.5


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        ({"n_images": 0}, "n_images"),
        ({"n_images": 2, "margin": 14}, "margin"),
        ({"n_images": 2, "seed": -1}, "seed"),
        ({"n_images": 2, "stroke_width": 0}, "stroke_width"),
    ],
)
def test_bad_arguments_are_named(kwargs, parameter):
    with pytest.raises(ValueError, match=parameter):
        make_curves(**kwargs)


def test_bad_point_arrays_are_refused():
    with pytest.raises(ValueError, match="control_points"):
        curve_points(np.zeros((2, 4, 2)))
    with pytest.raises(ValueError, match="points"):
        render_curves(np.zeros((2, 4)))
