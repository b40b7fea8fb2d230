-- Agencies over time (the 2025 reorganisation): merges and splits with their date and legal
-- basis. Each predecessor names its successors; records follow them (new versions in the log),
-- while history and reports for past periods keep the agency as it was.
CREATE TABLE agency_successions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    basis TEXT NOT NULL,
    predecessors TEXT NOT NULL,
    successors TEXT NOT NULL,
    records_moved BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE agency_successors (
    predecessor TEXT NOT NULL,
    successor TEXT NOT NULL,
    succession TEXT NOT NULL,
    PRIMARY KEY (predecessor, successor)
);
