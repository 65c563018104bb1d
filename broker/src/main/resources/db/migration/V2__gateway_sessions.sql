-- Gateway sessions: one row per brokered connection; ended_at IS NULL while live.
CREATE TABLE gateway_session (
    id             VARCHAR NOT NULL PRIMARY KEY,
    grant_id       VARCHAR NOT NULL REFERENCES access_grant (id),
    request_id     VARCHAR NOT NULL,
    username       VARCHAR NOT NULL,
    org            VARCHAR,
    target_id      VARCHAR NOT NULL,
    site           VARCHAR,
    kind           VARCHAR(16) NOT NULL,
    command        VARCHAR,
    started_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    ended_at       TIMESTAMP(6) WITH TIME ZONE,
    end_reason     VARCHAR(32),
    bytes_in       BIGINT NOT NULL,
    bytes_out      BIGINT NOT NULL,
    recording_id   VARCHAR,
    recording_head VARCHAR
);
CREATE INDEX gateway_session_site_idx ON gateway_session (site, started_at);
CREATE INDEX gateway_session_user_idx ON gateway_session (username, started_at);
CREATE INDEX gateway_session_live_idx ON gateway_session (ended_at);
