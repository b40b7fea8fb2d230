-- Data requests and demand (R9; Bắc Giang 13.2–13.3): anyone asks for data that is not
-- published, others support the request (one support per account or address), the
-- coordinating department assigns it to an agency, which answers: planned, published (with
-- the new dataset) or refused (with a reason). Times are µs since the epoch.
CREATE TABLE data_requests (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    contact TEXT,
    author TEXT NOT NULL,
    state TEXT NOT NULL,
    agency TEXT,
    created_at BIGINT NOT NULL,
    assigned_at BIGINT,
    answered_at BIGINT,
    answer TEXT,
    dataset TEXT,
    supports BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX data_requests_by_demand ON data_requests (supports, created_at);
CREATE TABLE data_request_supports (
    request_id TEXT NOT NULL REFERENCES data_requests(id),
    supporter TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (request_id, supporter)
);
