"""The analyze job's table encoding: the fast CSV writer gives exactly the bytes of pandas'."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.analyze import FLOAT_FORMAT, _csv_with_arrow, encode_table


def pandas_csv(frame: pd.DataFrame) -> bytes:
    """What `encode_table` wrote before it had a faster path: the reference."""
    return frame.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n").encode()


AWKWARD = [
    "plain",
    "a, comma",
    'a "quote"',
    '"',
    "line\nbreak",
    "carriage\rreturn",
    "both\r\n",
    "tab\there",
    " leading and trailing ",
    "",
    "Kyïv — naïve “curly” ‘quotes’ 🙂",
    "semi;colon",
    "\x00\x0b\x0c\x1c\x85\u2028",
]


RATES = [
    np.nan,
    np.inf,
    -np.inf,
    -0.0,
    0.0,
    1e-7,
    123456789.0,
    1 / 3,
    2.5,
    1e300,
    -42.0,
    5e-324,
    0.1,
]


def test_encode_csv_awkward_strings_numbers_and_missing_values() -> None:
    n = len(AWKWARD)
    frame = pd.DataFrame(
        {
            "text": AWKWARD,
            "count": np.arange(n, dtype=np.int64) * -12345678901,
            "small": np.arange(n, dtype=np.uint8),
            "rate": RATES,
            "label": pd.array([None, *AWKWARD[1:]], dtype="str"),
        }
    )
    assert _csv_with_arrow(frame) is not None  # the fast path, not pandas
    out = encode_table(frame, "csv")
    assert out == pandas_csv(frame)
    assert b'"a, comma"' in out and b'"a ""quote"""' in out  # quoted where csv quotes
    assert encode_table(frame.astype({"text": object, "label": object}), "csv") == out


@pytest.mark.parametrize("dtype", ["string[python]", "string[pyarrow]", "str", "object"])
def test_encode_csv_string_dtypes_with_missing_values(dtype: str) -> None:
    frame = pd.DataFrame({"a": pd.array(["x,y", None, "z"], dtype=dtype), "b": [1, 2, 3]})
    assert _csv_with_arrow(frame) == pandas_csv(frame)


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"only": ["", "a", ""]}),  # one column: csv writes an empty field as ""
        pd.DataFrame({"a": pd.Series([], dtype="str"), "b": pd.Series([], dtype="int64")}),
        pd.DataFrame({"flag": [True, False], "n": [1, 2]}),
        pd.DataFrame({"c": pd.Categorical(["x", "y"]), "n": [1, 2]}),
        pd.DataFrame({"mixed": ["a", 1.5], "n": [1, 2]}),
        pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "f": np.float32([0.5, 1.25])}),
        pd.DataFrame({1: ["a"], 2: ["b"]}),
    ],
    ids=["one-column", "empty", "bool", "categorical", "mixed", "nullable", "int-names"],
)
def test_encode_csv_tables_left_to_pandas_are_unchanged(frame: pd.DataFrame) -> None:
    assert encode_table(frame, "csv") == pandas_csv(frame)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet=st.sampled_from(list(',"\r\n\t ;ab\x00é“🙂')), max_size=8),
            st.integers(-(2**63), 2**63 - 1),
            st.floats(allow_nan=True, allow_infinity=True),
            st.none() | st.text(max_size=5),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_encode_csv_matches_pandas_on_any_table(rows: list[tuple[str, int, float, str]]) -> None:
    frame = pd.DataFrame(rows, columns=["text", "number", "value", "maybe"])
    frame["maybe"] = frame["maybe"].astype("str")
    fast = _csv_with_arrow(frame)
    assert fast is not None and fast == encode_table(frame, "csv") == pandas_csv(frame)
