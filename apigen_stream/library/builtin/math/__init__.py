"""Math APIs: algebra, matrices, polynomials, geometry, number theory and combinatorics."""

from apigen_stream.library.builtin.math.algebra import (
    linear_system_solve,
    matrix_determinant,
    polynomial_evaluate_derivative,
    quadratic_equation_solve,
    triangle_from_sides,
)
from apigen_stream.library.builtin.math.numbers import (
    combinations_permutations_count,
    fibonacci_number,
    gcd_lcm_of_integers,
    number_base_convert,
    primality_check,
    prime_factorization,
    roman_numeral_convert,
)

__all__ = [
    "combinations_permutations_count",
    "fibonacci_number",
    "gcd_lcm_of_integers",
    "linear_system_solve",
    "matrix_determinant",
    "number_base_convert",
    "polynomial_evaluate_derivative",
    "primality_check",
    "prime_factorization",
    "quadratic_equation_solve",
    "roman_numeral_convert",
    "triangle_from_sides",
]
