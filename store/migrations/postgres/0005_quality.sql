-- Quality (R8): the latest SHACL + MQA report per record, the history of its score (reports for
-- past quarters read the score as it was), the URLs each record points at, and what the link
-- checker last saw for each URL.
CREATE TABLE quality_reports (
    record_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    agency TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    score BIGINT NOT NULL,
    max_score BIGINT NOT NULL,
    violations BIGINT NOT NULL,
    warnings BIGINT NOT NULL,
    report TEXT NOT NULL,
    computed_at BIGINT NOT NULL
);
CREATE INDEX quality_reports_agency ON quality_reports (agency);
CREATE TABLE quality_history (
    record_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    score BIGINT NOT NULL,
    max_score BIGINT NOT NULL,
    PRIMARY KEY (record_id, at)
);
CREATE TABLE record_links (
    record_id TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (record_id, url)
);
CREATE INDEX record_links_url ON record_links (url);
CREATE TABLE link_checks (
    url TEXT PRIMARY KEY,
    ok BIGINT NOT NULL,
    status BIGINT,
    error TEXT,
    checked_at BIGINT NOT NULL
);
