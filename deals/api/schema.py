"""The OpenAPI schema's account of errors: every error response an operation can give,
in the one shape of deals/api/exceptions.py."""

from django_countries import countries

ERROR_COMPONENT = "Error"

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error response has this shape.",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message", "fields"],
            "properties": {
                "status": {"type": "integer", "description": "The HTTP status code."},
                "code": {
                    "type": "string",
                    "description": "What went wrong, for programs: invalid, unknown_parameter, "
                    "parse_error, not_authenticated, authentication_failed, permission_denied, "
                    "not_found, method_not_allowed, not_acceptable, protected, likely_duplicate, "
                    "unsupported_media_type, throttled, server_error.",
                    "example": "invalid",
                },
                "message": {
                    "type": "string",
                    "description": "What went wrong, for people.",
                    "example": "value.amount: Give the amount, or mark the value as undisclosed.",
                },
                "fields": {
                    "type": "object",
                    "description": "The path of each offending field or query parameter "
                    '("parties[1].party", "value.amount", "page_size") with its messages; '
                    "empty when the error concerns no field.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
                "candidates": {
                    "type": "array",
                    "description": "Only with code likely_duplicate: the parties the written "
                    "one resembles; `field` is the written field that matched, `matched` "
                    "the existing party's (name, native_name or aliases).",
                    "items": {
                        "type": "object",
                        "required": ["id", "name", "url", "field", "matched", "identifiers"],
                        "properties": {
                            "id": {"type": "integer"},
                            "name": {"type": "string"},
                            "url": {"type": "string", "format": "uri"},
                            "field": {"type": "string", "enum": ["name", "native_name", "aliases"]},
                            "matched": {
                                "type": "string",
                                "enum": ["name", "native_name", "aliases"],
                            },
                            "identifiers": {
                                "type": "array",
                                "description": 'Its identifiers, as "scheme:id".',
                                "items": {"type": "string"},
                            },
                        },
                    },
                },
            },
        }
    },
}

DESCRIPTIONS = {
    "400": "Invalid input, or a query parameter that is unknown, repeated or has a bad "
    "value: named in `error.fields`.",
    "401": "The token or session given is not valid (revoked, mistyped), or a write came "
    "without any.",
    "403": "The account lacks the permission this needs (e.g. publishing, or changing a "
    "published deal, takes an editor).",
    "404": "No such record (drafts do not exist for those who may not see them), or a page "
    "past the last.",
    "409": "Other records still use this one, so it cannot be deleted.",
    "415": "The request body is not JSON (send Content-Type: application/json).",
    "429": "Too many requests: try again after the number of seconds in Retry-After.",
}

HEADERS = {
    "401": {
        "WWW-Authenticate": {
            "schema": {"type": "string"},
            "description": 'How to authenticate: "Token".',
        }
    },
    "429": {
        "Retry-After": {
            "schema": {"type": "integer"},
            "description": "Seconds to wait before the next request.",
        }
    },
}

WRITES = {"post", "put", "patch", "delete"}

# deals.api.duplicates: a party write that looks like another party is refused.
PARTY_WRITES = {
    ("/api/v1/parties/", "post"),
    ("/api/v1/parties/{id}/", "put"),
    ("/api/v1/parties/{id}/", "patch"),
}
LIKELY_DUPLICATE = (
    "The party looks like one already held (same name once case, punctuation and legal "
    "suffixes are set aside, or a native name or alias in common): `error.candidates` "
    "names them. Use one, or send `confirm_distinct: true`. Also: another write got there "
    "first (code conflict)."
)

# Conditional GET (deals.api.views.DealViewSet.retrieve): a deal read with If-None-Match
# naming its current ETag answers 304 without a body.
CONDITIONAL_GETS = {("/api/v1/deals/{id}/", "get")}
NOT_MODIFIED = {
    "description": "Not Modified: the If-None-Match header names the deal's current ETag "
    "(or is *), so the copy the client holds is current. No body.",
    "headers": {"ETag": {"schema": {"type": "string"}, "description": "The deal's current ETag."}},
}


def error_codes(path, method):
    codes = {"400", "401", "429"}
    if method == "get" or "{" in path:
        codes.add("404")  # a page past the last of a list; a missing record
    if method in WRITES:
        codes.add("403")
    if method in {"post", "put", "patch"}:
        codes.add("415")
    if method == "delete" or (path, method) in PARTY_WRITES:
        codes.add("409")
    return sorted(codes)


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the error responses to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in error_codes(path, method):
                duplicate = code == "409" and (path, method) in PARTY_WRITES
                response = {
                    "description": LIKELY_DUPLICATE if duplicate else DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": reference}},
                }
                if code in HEADERS:
                    response["headers"] = HEADERS[code]
                responses.setdefault(code, response)
            if (path, method) in CONDITIONAL_GETS:
                responses.setdefault("304", NOT_MODIFIED)
    return result


def country_choices():
    """ISO 3166-1 codes, for ENUM_NAME_OVERRIDES: one CountryEnum for every country field."""
    return [(country.code, country.name) for country in countries]
