"""Page images made ready for OCR: one grey channel without colour marks, upright."""

from __future__ import annotations

import cv2
import numpy as np

# A sheet fed crooked is off by a degree or two; search a little wider.
_MAX_SKEW = 3.0
_SKEW_STEP = 0.1
_SKEW_WIDTH = 400  # pixels: the skew search runs on a thumbnail this wide


def to_grey(image: np.ndarray) -> np.ndarray:
    """Grey levels where only dark ink stays dark: the brightest channel of each pixel.

    A red seal or a blue signature is bright in one channel, so it fades to paper, while
    black print is dark in all three and stays.
    """
    if image.ndim == 2:
        return image
    # asarray: numpy types an axis reduction as Any (it may be a scalar); of a 3-D image it is an array.
    return np.asarray(image[..., :3].max(axis=2))


def ink_mask(grey: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0 (Otsu's threshold copes with grey paper)."""
    _threshold, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return mask


def deskew(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """The image turned upright, and the angle it was turned by (degrees).

    The angle is the one at which the rows of ink are sharpest: text lines and table rules
    then fall into few rows of the horizontal projection.
    """
    angle = _skew_angle(ink_mask(grey))
    if abs(angle) < _SKEW_STEP / 2:
        return grey, 0.0
    return rotate(grey, angle), angle


def rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    """`grey` turned by `angle` degrees about its centre, the corners filled with paper."""
    height, width = grey.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    paper = int(np.percentile(grey, 90))
    return cv2.warpAffine(grey, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=paper)


def _skew_angle(mask: np.ndarray) -> float:
    scale = min(1.0, _SKEW_WIDTH / mask.shape[1])
    small = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    height, width = small.shape
    best, best_score = 0.0, -1.0
    for angle in np.arange(-_MAX_SKEW, _MAX_SKEW + _SKEW_STEP / 2, _SKEW_STEP):
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), float(angle), 1.0)
        turned = cv2.warpAffine(small, matrix, (width, height), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = turned.sum(axis=1, dtype=np.float64)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return round(best, 2)
