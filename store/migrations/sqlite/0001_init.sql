-- The change log: every version of every record (the truth), the current state per record,
-- agencies, and API tokens (hashes only).
CREATE TABLE versions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    iri TEXT NOT NULL,
    agency TEXT NOT NULL,
    status TEXT NOT NULL,
    visibility TEXT NOT NULL,
    shared_with TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    canonical TEXT NOT NULL,
    author TEXT NOT NULL,
    source TEXT NOT NULL,
    at BIGINT NOT NULL,
    UNIQUE (record_id, version)
);
CREATE TABLE records (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    iri TEXT NOT NULL UNIQUE,
    agency TEXT NOT NULL,
    status TEXT NOT NULL,
    visibility TEXT NOT NULL,
    access_defaulted BIGINT NOT NULL,
    shared_with TEXT NOT NULL,
    version BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    title_vi TEXT,
    title_en TEXT,
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL,
    source TEXT NOT NULL,
    source_id TEXT,
    seq BIGINT NOT NULL
);
CREATE INDEX records_kind_id ON records (kind, id);
CREATE INDEX records_agency ON records (agency);
CREATE INDEX records_modified ON records (modified_at);
CREATE INDEX records_source ON records (source, source_id);
CREATE TABLE agencies (
    code TEXT PRIMARY KEY,
    iri TEXT NOT NULL UNIQUE,
    name_vi TEXT NOT NULL,
    name_en TEXT,
    parent TEXT,
    created_at BIGINT NOT NULL
);
CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    prefix TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    agency TEXT,
    label TEXT,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
