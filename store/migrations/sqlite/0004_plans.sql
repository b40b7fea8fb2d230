-- Agencies' targets of open datasets per phase (Ninh Thuận 13.2), set by the coordinating
-- department; quarterly reports compare them with what was published.
CREATE TABLE plans (
    agency TEXT NOT NULL,
    phase TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    target BIGINT NOT NULL,
    set_by TEXT NOT NULL,
    set_at BIGINT NOT NULL,
    PRIMARY KEY (agency, phase)
);
