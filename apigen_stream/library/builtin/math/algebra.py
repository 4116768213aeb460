"""Math APIs for algebra: equations, matrices, linear systems, polynomials and triangles."""

from __future__ import annotations

import cmath
import math
from fractions import Fraction
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Math"

# Square matrices up to 10×10: exact Fraction elimination stays far below 50 ms at that size.
_MAX_N = 10


def _num(x: complex | float | Fraction) -> Any:
    if isinstance(x, Fraction):
        return int(x) if x.denominator == 1 else float(x)
    if isinstance(x, complex):
        if abs(x.imag) < 1e-12:
            return round(x.real, 10)
        return {"real": round(x.real, 10), "imag": round(x.imag, 10)}
    return round(x, 10)


@api(
    category=CATEGORY,
    description=(
        "Solve a quadratic equation a·x² + b·x + c = 0: discriminant, the two roots (complex "
        "roots as real/imag parts), and the vertex of the parabola."
    ),
    params={
        "a": {"type": "number", "description": "Coefficient of x² (non-zero)."},
        "b": {"type": "number", "description": "Coefficient of x."},
        "c": {"type": "number", "description": "Constant term."},
    },
    templates=[
        "Solve the quadratic equation with a = {a}, b = {b} and c = {c}.",
        "What are the roots of the quadratic with a={a}, b={b}, c={c}?",
    ],
    examples=[("Solve x^2 - 5x + 6 = 0", {"a": 1, "b": -5, "c": 6})],
)
def quadratic_equation_solve(a: float, b: float, c: float) -> dict[str, Any]:
    """Quadratic formula with cmath so negative discriminants give complex roots."""
    if a == 0:
        raise ValueError("a must be non-zero for a quadratic")
    disc = b * b - 4 * a * c
    root = cmath.sqrt(disc)
    roots = sorted(((-b - root) / (2 * a), (-b + root) / (2 * a)), key=lambda z: (z.real, z.imag))
    return {
        "discriminant": _num(disc),
        "roots": [_num(r) for r in roots],
        "real_roots": disc >= 0,
        "vertex": [_num(-b / (2 * a)), _num(c - b * b / (4 * a))],
    }


_MATRIX = {
    "type": "array",
    "items": {"type": "array", "items": {"type": "number"}, "minItems": 1, "maxItems": _MAX_N},
    "minItems": 1,
    "maxItems": _MAX_N,
    "description": "Square matrix as a list of rows.",
}


def _square(matrix: list[list[float]]) -> list[list[Fraction]]:
    n = len(matrix)
    if any(len(row) != n for row in matrix):
        raise ValueError("the matrix must be square (every row as long as there are rows)")
    return [[Fraction(x) for x in row] for row in matrix]


def _eliminate(m: list[list[Fraction]]) -> tuple[list[list[Fraction]], Fraction]:
    """Gauss-Jordan elimination in exact arithmetic; returns the reduced rows and determinant."""
    n, det = len(m), Fraction(1)
    for col in range(n):
        pivot = next((r for r in range(col, n) if m[r][col] != 0), None)
        if pivot is None:
            return m, Fraction(0)
        if pivot != col:
            m[col], m[pivot] = m[pivot], m[col]
            det = -det
        det *= m[col][col]
        lead = m[col][col]
        m[col] = [x / lead for x in m[col]]
        for r in range(n):
            if r != col and m[r][col] != 0:
                factor = m[r][col]
                m[r] = [x - factor * y for x, y in zip(m[r], m[col], strict=True)]
    return m, det


@api(
    category=CATEGORY,
    description=(
        "Determinant of a square matrix (up to 10×10), computed exactly, and whether it "
        "is invertible."
    ),
    params={"matrix": _MATRIX},
    templates=["What is the determinant of {matrix}?", "Is the matrix {matrix} invertible?"],
    examples=[("Determinant of [[2, 1], [7, 4]]?", {"matrix": [[2, 1], [7, 4]]})],
)
def matrix_determinant(matrix: list[list[float]]) -> dict[str, Any]:
    """Exact Fractions avoid round-off calling a singular matrix invertible."""
    _, det = _eliminate(_square(matrix))
    return {"determinant": _num(det), "invertible": det != 0}


@api(
    category=CATEGORY,
    description=(
        "Solve a square system of linear equations A·x = b exactly (up to 10 unknowns); "
        "reports when the system has no unique solution."
    ),
    params={
        "coefficients": {**_MATRIX, "description": "Matrix A, one row per equation."},
        "constants": {
            "type": "array",
            "items": {"type": "number"},
            "minItems": 1,
            "maxItems": _MAX_N,
            "description": "Right-hand side b.",
        },
    },
    templates=[
        "Solve the system A = {coefficients}, b = {constants}.",
        "Find x with {coefficients} · x = {constants}.",
    ],
    examples=[
        ("Solve 2x + y = 5 and x - y = 1", {"coefficients": [[2, 1], [1, -1]], "constants": [5, 1]})
    ],
)
def linear_system_solve(coefficients: list[list[float]], constants: list[float]) -> dict[str, Any]:
    """Gauss-Jordan on the augmented matrix."""
    a = _square(coefficients)
    if len(constants) != len(a):
        raise ValueError("constants must have one value per equation")
    augmented = [[*row, Fraction(c)] for row, c in zip(a, constants, strict=True)]
    reduced, det = _eliminate(augmented)
    if det == 0:
        return {"unique_solution": False, "solution": None}
    return {"unique_solution": True, "solution": [_num(row[-1]) for row in reduced]}


@api(
    category=CATEGORY,
    description=(
        "Evaluate a polynomial and its first derivative at x, and give the coefficients of its "
        "derivative and antiderivative (constant 0). Coefficients from the highest power down."
    ),
    params={
        "coefficients": {
            "type": "array",
            "items": {"type": "number"},
            "minItems": 1,
            "maxItems": 30,
            "description": "Coefficients, highest power first ([3, 0, -2] = 3x² − 2).",
        },
        "x": {"type": "number", "description": "Point to evaluate at."},
    },
    templates=[
        "Evaluate the polynomial with coefficients {coefficients} and its derivative at x = {x}.",
        "Differentiate the polynomial with coefficients {coefficients} and find the slope at "
        "x = {x}.",
    ],
    examples=[("For 3x^2 - 2, what is f(2) and f'(2)?", {"coefficients": [3, 0, -2], "x": 2})],
)
def polynomial_evaluate_derivative(coefficients: list[float], x: float) -> dict[str, Any]:
    """Horner's rule for both values."""
    degree = len(coefficients) - 1
    derivative = [c * (degree - i) for i, c in enumerate(coefficients[:-1])]
    integral = [c / (degree - i + 1) for i, c in enumerate(coefficients)] + [0]

    def horner(cs: list[float]) -> float:
        total = 0.0
        for c in cs:
            total = total * x + c
        return total

    return {
        "value": _num(horner(coefficients)),
        "derivative_value": _num(horner(derivative)) if derivative else 0,
        "derivative_coefficients": [_num(c) for c in derivative] or [0],
        "antiderivative_coefficients": [_num(c) for c in integral],
    }


@api(
    category=CATEGORY,
    description=(
        "Solve a triangle from its three side lengths: area (Heron's formula), perimeter, the "
        "three angles in degrees, and its type (equilateral/isosceles/scalene, acute/right/obtuse)."
    ),
    params={
        "a": {"type": "number", "exclusiveMinimum": 0, "description": "Side a."},
        "b": {"type": "number", "exclusiveMinimum": 0, "description": "Side b."},
        "c": {"type": "number", "exclusiveMinimum": 0, "description": "Side c."},
    },
    templates=[
        "What's the area of a triangle with sides {a}, {b} and {c}?",
        "Find the angles of the triangle {a}-{b}-{c}.",
    ],
    examples=[("Area and angles of a 3-4-5 triangle?", {"a": 3, "b": 4, "c": 5})],
)
def triangle_from_sides(a: float, b: float, c: float) -> dict[str, Any]:
    """Law of cosines for the angles; right within a 1e-9 relative tolerance."""
    x, y, z = sorted((a, b, c))
    if x + y <= z:
        raise ValueError("these sides violate the triangle inequality")
    s = (a + b + c) / 2
    area = math.sqrt(s * (s - a) * (s - b) * (s - c))

    def angle(opposite: float, p: float, q: float) -> float:
        return math.degrees(
            math.acos(max(-1.0, min(1.0, (p * p + q * q - opposite * opposite) / (2 * p * q))))
        )

    sides = "equilateral" if x == z else "isosceles" if y in (x, z) else "scalene"
    gap = x * x + y * y - z * z
    corner = (
        "right"
        if math.isclose(x * x + y * y, z * z, rel_tol=1e-9)
        else "acute"
        if gap > 0
        else "obtuse"
    )
    return {
        "area": round(area, 6),
        "perimeter": round(a + b + c, 6),
        "angles_deg": [
            round(angle(a, b, c), 4),
            round(angle(b, a, c), 4),
            round(angle(c, a, b), 4),
        ],
        "type": f"{sides} {corner}",
    }
