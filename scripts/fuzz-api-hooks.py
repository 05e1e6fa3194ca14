"""Schemathesis hooks for `npm run fuzz:api` (loaded through SCHEMATHESIS_HOOKS).

scripts/fuzz-api.toml lets a schema-valid decision be refused with 400, for the one thing the OpenAPI
document cannot say: what the pending review holds. This check keeps that excuse to exactly that. A 400 to a
schema-valid decision must come from the workflow's judgement of the review as it stands (details with code
`invalid_decision`), and name only what the request could not know: `decision` when it approves a stage that
produced no output, or an output field the corrections did not send (the stage's own was missing or does
not fit them). Any other 400 is a rule the document should state, and fails the run.
"""

import schemathesis


@schemathesis.check
def decision_refused_only_for_review_state(ctx, response, case):
    meta = case.meta
    if (
        response.status_code != 400
        or case.operation.definition.raw.get("operationId") != "decideReview"
        or meta is None
        or not meta.generation.mode.is_positive
        or not isinstance(case.body, dict)
    ):
        return None
    corrections = case.body.get("corrections")
    sent = set(corrections) if isinstance(corrections, dict) else set()
    details = (response.json().get("error") or {}).get("details")
    unexplained = [
        detail
        for detail in (details if isinstance(details, list) and details else [None])
        if not _needs_review_state(detail, case.body.get("decision"), sent)
    ]
    if unexplained:
        raise AssertionError(
            "A schema-valid decision was refused for something the OpenAPI document could state, "
            f"not for the pending review's state: {unexplained}"
        )
    return None


def _needs_review_state(detail, decision, sent):
    if not isinstance(detail, dict) or detail.get("code") != "invalid_decision":
        return False
    path = detail.get("path") or []
    if path == ["decision"]:
        return decision == "approve"
    return len(path) >= 2 and path[0] == "corrections" and path[1] not in sent
