-- One script for H2 (MODE=PostgreSQL) and PostgreSQL: only syntax both accept.
-- Instants are TIMESTAMP(6) WITH TIME ZONE: exact to the microsecond on both, and readable in psql.
-- The audit hash covers event_time, so its precision must never be coarser than the chain's (micros).

CREATE TABLE access_request (
    id                 VARCHAR NOT NULL PRIMARY KEY,
    requester          VARCHAR NOT NULL,
    requester_org      VARCHAR,
    start_at           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    duration_seconds   BIGINT NOT NULL,
    -- start_at + duration, stored so that the expiry sweep is one indexed range scan on both databases
    end_at             TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    reason             VARCHAR,
    ticket             VARCHAR,
    state              VARCHAR(16) NOT NULL,
    approvals_required INTEGER NOT NULL,
    decision_rule      VARCHAR,
    created_at         TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
CREATE INDEX access_request_created_idx ON access_request (created_at);
CREATE INDEX access_request_org_idx ON access_request (requester_org, created_at);
CREATE INDEX access_request_requester_idx ON access_request (requester, created_at);
CREATE INDEX access_request_state_end_idx ON access_request (state, end_at);

CREATE TABLE request_target (
    request_id VARCHAR NOT NULL REFERENCES access_request (id),
    position   INTEGER NOT NULL,
    target_id  VARCHAR NOT NULL,
    PRIMARY KEY (request_id, position)
);

-- Sites are a set frozen at request time; AccessRequest does not say which target is at which site,
-- so they get their own table rather than a column of request_target.
CREATE TABLE request_site (
    request_id VARCHAR NOT NULL REFERENCES access_request (id),
    site       VARCHAR NOT NULL,
    PRIMARY KEY (request_id, site)
);
CREATE INDEX request_site_site_idx ON request_site (site, request_id);

CREATE TABLE approval (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id  VARCHAR NOT NULL REFERENCES access_request (id),
    approver    VARCHAR NOT NULL,
    verdict     VARCHAR(16) NOT NULL,
    comment     VARCHAR,
    decided_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    -- a person decides a request once: the last line of defence behind the workflow's own check
    CONSTRAINT approval_once_per_approver UNIQUE (request_id, approver)
);

CREATE TABLE access_grant (
    id         VARCHAR NOT NULL PRIMARY KEY,
    request_id VARCHAR NOT NULL REFERENCES access_request (id),
    username   VARCHAR NOT NULL,
    org        VARCHAR,
    target_id  VARCHAR NOT NULL,
    site       VARCHAR,
    not_before TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    not_after  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    revoked_at TIMESTAMP(6) WITH TIME ZONE,
    revoked_by VARCHAR
);
CREATE INDEX access_grant_request_idx ON access_grant (request_id);
CREATE INDEX access_grant_user_idx ON access_grant (username, not_before);
CREATE INDEX access_grant_org_idx ON access_grant (org, not_before);
CREATE INDEX access_grant_site_idx ON access_grant (site, not_before);
CREATE INDEX access_grant_target_idx ON access_grant (target_id, not_before);

CREATE TABLE audit_event (
    seq         BIGINT NOT NULL PRIMARY KEY,
    event_time  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    actor       VARCHAR NOT NULL,
    action      VARCHAR NOT NULL,
    object_type VARCHAR NOT NULL,
    object_id   VARCHAR,
    -- JSON object of string to string, written by Jackson
    details     VARCHAR NOT NULL,
    prev_hash   VARCHAR NOT NULL,
    hash        VARCHAR NOT NULL
);
CREATE INDEX audit_event_time_idx ON audit_event (event_time);
CREATE INDEX audit_event_actor_idx ON audit_event (actor, seq);
CREATE INDEX audit_event_action_idx ON audit_event (action, seq);
CREATE INDEX audit_event_object_idx ON audit_event (object_id, seq);

-- The chain head: appenders lock this one row (SELECT ... FOR UPDATE), so concurrent appends serialise
-- and the chain cannot fork. seq 0 with the genesis hash means "no event yet".
CREATE TABLE audit_head (
    id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash VARCHAR NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_checkpoint (
    seq       BIGINT NOT NULL PRIMARY KEY,
    head_hash VARCHAR NOT NULL,
    cp_time   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    key_id    VARCHAR NOT NULL,
    signature VARCHAR NOT NULL
);
