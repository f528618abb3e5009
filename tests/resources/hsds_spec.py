"""What HSDS 3.0 requires of the objects the hub serves, written down from the Open
Referral specification (tag 3.0: schema/compiled/service_list.json, service.json,
organization.json, service_at_location.json, the component schemas they nest —
location, address, phone — and openapi.json's Page). Each schema keeps the spec's
`required` lists, types, formats and enums for the fields the hub sends; the spec does
not forbid other properties, so neither do these."""

UUID = {"type": "string", "format": "uuid"}
TEXT = {"type": "string"}

ORGANIZATION = {
    "type": "object",
    "properties": {
        "id": UUID,
        "name": TEXT,
        "alternate_name": TEXT,
        "description": TEXT,
        "email": {"type": "string", "format": "email"},
        "website": {"type": "string", "format": "uri"},
    },
    "required": ["id", "name", "description"],
}

PHONE = {
    "type": "object",
    "properties": {"id": UUID, "number": TEXT, "description": TEXT},
    "required": ["id", "number"],
}

ADDRESS = {
    "type": "object",
    "properties": {
        "id": UUID,
        "location_id": UUID,
        "address_1": TEXT,
        "city": TEXT,
        "state_province": TEXT,
        "postal_code": TEXT,
        "country": TEXT,
        "address_type": {"type": "string", "enum": ["physical", "postal", "virtual"]},
    },
    "required": [
        "id",
        "address_1",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
}

LOCATION = {
    "type": "object",
    "properties": {
        "id": UUID,
        "location_type": {"type": "string", "enum": ["physical", "postal", "virtual"]},
        "name": TEXT,
        "latitude": {"type": "number"},
        "longitude": {"type": "number"},
        "addresses": {"type": "array", "items": ADDRESS},
    },
    "required": ["id", "location_type"],
}

SERVICE_FIELDS = {
    "id": UUID,
    "organization_id": UUID,
    "name": TEXT,
    "description": TEXT,
    "url": {"type": "string", "format": "uri"},
    "email": {"type": "string", "format": "email"},
    "status": {"type": "string", "enum": ["active", "inactive", "defunct", "temporarily closed"]},
    "eligibility_description": TEXT,
    "minimum_age": {"type": "number"},
    "maximum_age": {"type": "number"},
    "fees_description": TEXT,
    "interpretation_services": TEXT,
    "assured_date": {"type": "string", "format": "date"},
    "organization": ORGANIZATION,
}

SERVICE_LIST = {
    "type": "object",
    "properties": SERVICE_FIELDS,
    "required": ["id", "name", "status"],
}

SERVICE_AT_LOCATION = {
    "type": "object",
    "properties": {
        "id": UUID,
        "service_id": UUID,
        "location_id": UUID,
        "description": TEXT,
        "location": LOCATION,
        "service": SERVICE_LIST,
    },
    "required": ["id"],
}

SERVICE = {
    "type": "object",
    "properties": SERVICE_FIELDS
    | {
        "phones": {"type": "array", "items": PHONE},
        "service_at_locations": {"type": "array", "items": SERVICE_AT_LOCATION},
    },
    "required": ["id", "name", "status"],
}


def page_of(item_schema) -> dict:
    """openapi.json: the list endpoints answer a Page whose `contents` are the items."""
    return {
        "type": "object",
        "properties": {
            "total_items": {"type": "integer"},
            "total_pages": {"type": "integer"},
            "page_number": {"type": "integer"},
            "size": {"type": "integer"},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean"},
            "contents": {"type": "array", "items": item_schema},
        },
        "required": ["empty"],
    }
