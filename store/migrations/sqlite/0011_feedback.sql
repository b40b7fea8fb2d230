-- Feedback on records (R9): anyone reports a problem with a dataset or data service; the
-- owning agency answers, then resolves or rejects it. The reporter's contact is kept for the
-- agency only. Times are µs since the epoch.
CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    agency TEXT NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    contact TEXT,
    state TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    answer TEXT,
    answered_by TEXT,
    answered_at BIGINT,
    closed_at BIGINT
);
CREATE INDEX feedback_by_record ON feedback (record_id, created_at);
CREATE INDEX feedback_by_agency ON feedback (agency, state);
