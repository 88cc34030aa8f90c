-- Keys: one small row per key (metadata and identities as JSON text, never parsed by queries), the
-- lookup terms as rows of their own (one B-tree index serves every search kind), and the published
-- view and the full key in tables of their own, read only for the keys a page returns.
-- Times are UTC ticks (bigint): exact to 100 ns, as the other stores keep them.

CREATE TABLE keys (
    fingerprint          text COLLATE "C" PRIMARY KEY,
    version              integer  NOT NULL,
    published            boolean  NOT NULL,
    published_identities integer  NOT NULL,
    meta                 text     NOT NULL
);

CREATE TABLE key_published (
    fingerprint text COLLATE "C" PRIMARY KEY REFERENCES keys (fingerprint) ON DELETE CASCADE,
    data        bytea NOT NULL,
    armored     bytea
);

CREATE TABLE key_full (
    fingerprint text COLLATE "C" PRIMARY KEY REFERENCES keys (fingerprint) ON DELETE CASCADE,
    data        bytea NOT NULL
);

-- kind: 1 fingerprint, 2 long key ID, 3 short key ID, 4 e-mail address, 5 word, 6 user ID
-- (folded to upper case). Terms over 256 bytes are stored as their SHA-256.
CREATE TABLE key_terms (
    kind        smallint NOT NULL,
    term        text COLLATE "C" NOT NULL,
    fingerprint text COLLATE "C" NOT NULL REFERENCES keys (fingerprint) ON DELETE CASCADE,
    PRIMARY KEY (kind, term, fingerprint)
);
CREATE INDEX key_terms_fingerprint ON key_terms (fingerprint);

CREATE TABLE verification_tokens (
    hash        text COLLATE "C" PRIMARY KEY,
    purpose     smallint NOT NULL,
    fingerprint text,
    address     text,
    created     bigint NOT NULL,
    expires     bigint NOT NULL,
    used        bigint
);
CREATE INDEX verification_tokens_expires ON verification_tokens (expires);

CREATE TABLE verification_mail_throttle (
    id    text COLLATE "C" PRIMARY KEY,
    at    bigint  NOT NULL,
    n     integer NOT NULL
);
CREATE INDEX verification_mail_throttle_at ON verification_mail_throttle (at);

CREATE TABLE mail_outbox (
    id          text COLLATE "C" PRIMARY KEY,
    seq         bigserial NOT NULL,
    kind        smallint NOT NULL,
    to_address  text     NOT NULL,
    fingerprint text,
    user_id     text,
    token       text     NOT NULL,
    expires     bigint   NOT NULL,
    attempts    integer  NOT NULL,
    next        bigint   NOT NULL
);
CREATE INDEX mail_outbox_next ON mail_outbox (next, seq);
