"""Gaming APIs for chess (python-chess): legal moves, position status, playing moves."""

from __future__ import annotations

from functools import cache
from typing import Any

import chess

from apigen_stream.library.registry import api

START_FEN = chess.STARTING_FEN
_FEN = {
    "type": "string",
    "description": "Chess position in Forsyth-Edwards Notation (FEN).",
    "examples": [
        START_FEN,
        "r1bqkbnr/pppp1ppp/2n5/4p3/4P3/5N2/PPPP1PPP/RNBQKB1R w KQkq - 2 3",
        "6k1/5ppp/8/8/8/8/5PPP/3R2K1 w - - 0 1",
    ],
}
# Conventional material values of the pieces (pawn = 1).
PIECE_VALUES = {chess.PAWN: 1, chess.KNIGHT: 3, chess.BISHOP: 3, chess.ROOK: 5, chess.QUEEN: 9}


def _board(fen: str) -> chess.Board:
    try:
        board = chess.Board(fen)
    except ValueError as exc:
        raise ValueError(f"invalid FEN: {exc}") from None
    if not board.is_valid():
        raise ValueError(f"illegal position: {board.status()!r}")
    return board


def _material(board: chess.Board, color: chess.Color) -> int:
    return sum(v * len(board.pieces(p, color)) for p, v in PIECE_VALUES.items())


@api(
    category="Gaming",
    description="All legal moves in a chess position, in SAN and UCI, for the side to move.",
    params={"fen": _FEN},
    templates=[
        "What are the legal moves in this position: {fen}?",
        "List every legal chess move from {fen}.",
    ],
    examples=[("What legal moves are there from the starting position?", {"fen": START_FEN})],
)
def chess_legal_moves(fen: str) -> dict[str, Any]:
    """Legal moves of a position."""
    board = _board(fen)
    moves = list(board.legal_moves)
    return {
        "side_to_move": "white" if board.turn else "black",
        "count": len(moves),
        "san": sorted(board.san(m) for m in moves),
        "uci": sorted(m.uci() for m in moves),
    }


@api(
    category="Gaming",
    description=(
        "Status of a chess position: check, checkmate, stalemate, insufficient material, "
        "material count per side (pawn=1, knight/bishop=3, rook=5, queen=9)."
    ),
    params={"fen": _FEN},
    templates=[
        "Is this chess position checkmate: {fen}?",
        "Evaluate the status and material of {fen}.",
    ],
    examples=[
        (
            "Is it mate after 1.f3 e5 2.g4 Qh4?",
            {"fen": "rnb1kbnr/pppp1ppp/8/4p3/6Pq/5P2/PPPPP2P/RNBQKBNR w KQkq - 1 3"},
        )
    ],
)
def chess_position_status(fen: str) -> dict[str, Any]:
    """Game-state flags and material."""
    board = _board(fen)
    white, black = _material(board, chess.WHITE), _material(board, chess.BLACK)
    return {
        "side_to_move": "white" if board.turn else "black",
        "is_check": board.is_check(),
        "is_checkmate": board.is_checkmate(),
        "is_stalemate": board.is_stalemate(),
        "insufficient_material": board.is_insufficient_material(),
        "material_white": white,
        "material_black": black,
        "material_balance": white - black,
    }


@api(
    category="Gaming",
    description=(
        "Plays a sequence of moves (SAN such as e4, Nf3, O-O) from a position and returns the "
        "resulting FEN, whether it is check/checkmate, and the moves in UCI."
    ),
    params={
        "moves": {
            "type": "array",
            "items": {"type": "string"},
            "minItems": 1,
            "maxItems": 200,
            "description": "Moves in standard algebraic notation, in order.",
            "examples": [
                ["e4", "e5", "Nf3", "Nc6"],
                ["d4", "d5", "c4"],
                ["f3", "e5", "g4", "Qh4#"],
            ],
        },
        "fen": {
            "type": "string",
            "description": "Starting position in FEN (default: the initial position).",
            "examples": [
                START_FEN,
                "rnbqkbnr/1ppppppp/p7/8/8/P7/1PPPPPPP/RNBQKBNR w KQkq - 0 2",
                "rnbqkbnr/ppppppp1/7p/8/8/7P/PPPPPPP1/RNBQKBNR w KQkq - 0 2",
            ],
        },
    },
    templates=[
        "What is the position after {moves}?",
        "Play {moves} from {fen} and give me the FEN.",
    ],
    examples=[("What's the FEN after 1.e4 e5 2.Nf3 Nc6?", {"moves": ["e4", "e5", "Nf3", "Nc6"]})],
)
def chess_play_moves(moves: list[str], fen: str = START_FEN) -> dict[str, Any]:
    """Apply SAN moves to a position."""
    board = _board(fen)
    uci = []
    for ply, san in enumerate(moves, start=1):
        try:
            move = board.parse_san(san)
        except ValueError:
            raise ValueError(f"move {ply} {san!r} is not legal in {board.fen()}") from None
        uci.append(move.uci())
        board.push(move)
    return {
        "fen": board.fen(),
        "uci": uci,
        "is_check": board.is_check(),
        "is_checkmate": board.is_checkmate(),
    }


@cache
def _sum_distribution(dice: int, sides: int) -> tuple[int, ...]:
    """Number of ways to roll each total with ``dice`` dice of ``sides`` faces (index = total)."""
    ways = [1]
    for _ in range(dice):
        nxt = [0] * (len(ways) + sides)
        for total, count in enumerate(ways):
            for face in range(1, sides + 1):
                nxt[total + face] += count
        ways = nxt
    return tuple(ways)
