-- Harvesting: sources, jobs (task resources), original payloads (provenance), and which job
-- last saw each harvested record (deletion detection without holding identifiers in memory).
CREATE TABLE harvest_sources (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    agency TEXT NOT NULL,
    schedule TEXT NOT NULL,
    config TEXT NOT NULL,
    state TEXT,
    next_run_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE harvest_jobs (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    status TEXT NOT NULL,
    trigger_kind TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    pages BIGINT NOT NULL DEFAULT 0,
    total BIGINT,
    processed BIGINT NOT NULL DEFAULT 0,
    created BIGINT NOT NULL DEFAULT 0,
    updated BIGINT NOT NULL DEFAULT 0,
    unchanged BIGINT NOT NULL DEFAULT 0,
    withdrawn BIGINT NOT NULL DEFAULT 0,
    failed BIGINT NOT NULL DEFAULT 0,
    complete BIGINT NOT NULL DEFAULT 0,
    review BIGINT NOT NULL DEFAULT 0,
    held_withdrawals BIGINT NOT NULL DEFAULT 0,
    cancel_requested BIGINT NOT NULL DEFAULT 0,
    message TEXT,
    warnings TEXT NOT NULL DEFAULT '[]',
    failures TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX harvest_jobs_source ON harvest_jobs (source_id, created_at);
CREATE INDEX harvest_jobs_status ON harvest_jobs (status);
CREATE TABLE harvest_payloads (
    record_id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    media_type TEXT NOT NULL,
    body TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    fetched_at BIGINT NOT NULL
);
ALTER TABLE records ADD COLUMN seen_job TEXT;
CREATE INDEX records_seen ON records (source, seen_job);
