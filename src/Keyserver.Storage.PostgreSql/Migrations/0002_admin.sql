-- The admin console's stores: the block list, the audit log, admin sessions, and the last delivery
-- error of a queued mail. Times are UTC ticks (bigint), as in 0001.

-- kind: 0 fingerprint, 1 address, 2 domain (the order the list is shown in); value as BlockTarget
-- normalises it, so lookups compare plain strings.
CREATE TABLE block_list (
    kind    smallint NOT NULL,
    value   text COLLATE "C" NOT NULL,
    created bigint   NOT NULL,
    actor   text     NOT NULL,
    reason  text,
    PRIMARY KEY (kind, value)
);

-- Append-only; seq keeps the append order of entries with the same time. Fingerprints are stored
-- upper case and addresses lower case, so the target filter is an index lookup.
CREATE TABLE audit_log (
    seq         bigserial PRIMARY KEY,
    time        bigint NOT NULL,
    actor       text COLLATE "C" NOT NULL,
    action      text COLLATE "C" NOT NULL,
    fingerprint text COLLATE "C",
    address     text COLLATE "C",
    outcome     text NOT NULL
);
CREATE INDEX audit_log_time ON audit_log (time, seq);
CREATE INDEX audit_log_fingerprint ON audit_log (fingerprint) WHERE fingerprint IS NOT NULL;
CREATE INDEX audit_log_address ON audit_log (address) WHERE address IS NOT NULL;

CREATE TABLE admin_sessions (
    hash      text COLLATE "C" PRIMARY KEY,
    actor     text   NOT NULL,
    ticket    bytea  NOT NULL,
    created   bigint NOT NULL,
    last_seen bigint NOT NULL,
    expires   bigint NOT NULL
);
CREATE INDEX admin_sessions_expires ON admin_sessions (expires);

ALTER TABLE mail_outbox ADD COLUMN last_error text;
