"""Schemathesis hooks for `npm run fuzz:api` (loaded through SCHEMATHESIS_HOOKS).

The review queue's `cursor` is opaque (`format: docket-cursor` in the OpenAPI document): only a nextCursor
the API gave out is valid, so a string drawn at random is rightly a 400. To fuzz past that, this teaches
schemathesis what such a cursor is: base64url of the JSON `{"d": <due time, ms>, "w": <workflow id>}` that
client/review-queue.ts encodes, with `d` in the range the queue lists (2000-01-01 to 2200-01-01).
"""

import base64
import json

import schemathesis
from hypothesis import strategies as st

FAR_PAST_MS = 946_684_800_000
FAR_FUTURE_MS = 7_258_118_400_000


def _encode(d: int, w: str) -> str:
    text = json.dumps({"d": d, "w": w}, ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


# 40 characters at most: escaped or multi-byte, the cursor stays under the 500 the parameter allows.
schemathesis.openapi.format(
    "docket-cursor",
    st.builds(
        _encode,
        st.integers(min_value=FAR_PAST_MS, max_value=FAR_FUTURE_MS),
        st.text(min_size=1, max_size=40),
    ),
)
