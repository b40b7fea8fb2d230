-- What data services offer (F18): each endpoint description (OpenAPI, Swagger) a published
-- data service points at, as last fetched through the guarded client, with the text of its
-- operations the search index reads. A failed refresh keeps the last good description.
CREATE TABLE service_descriptions (
    url TEXT PRIMARY KEY,
    fetched_at BIGINT NOT NULL,
    status BIGINT,
    error TEXT,
    media_type TEXT,
    body TEXT,
    operations TEXT NOT NULL DEFAULT '[]',
    described_at BIGINT
);
