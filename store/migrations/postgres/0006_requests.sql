-- Catalogue of databases (R1): requests to add, change or withdraw an entry, each with a
-- written justification, decided by the coordinating department; every approval produces a
-- numbered, dated issue of the catalogue that pins each entry's version. `catalogue_entries`
-- is the latest issue's membership, so writes can refuse to change an entry without a request.
CREATE TABLE catalogue_requests (
    id TEXT PRIMARY KEY,
    agency TEXT NOT NULL,
    action TEXT NOT NULL,
    record_id TEXT,
    justification TEXT NOT NULL,
    media_type TEXT,
    description TEXT,
    findings TEXT NOT NULL,
    status TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    reason TEXT,
    result_record TEXT,
    issue BIGINT
);
CREATE INDEX catalogue_requests_agency ON catalogue_requests (agency, submitted_at);
CREATE TABLE catalogue_issues (
    number BIGINT PRIMARY KEY,
    issued_at BIGINT NOT NULL,
    request_id TEXT NOT NULL,
    entries TEXT NOT NULL
);
CREATE TABLE catalogue_entries (
    record_id TEXT PRIMARY KEY
);
