-- Access.Api's schema: plans, users, API keys, usage events and the hash-chained audit log.

CREATE TABLE plans (
    id                  text PRIMARY KEY,
    name                text NOT NULL,
    requests_per_second double precision NOT NULL CHECK (requests_per_second > 0),
    burst               integer NOT NULL CHECK (burst > 0),
    max_concurrent_jobs integer NOT NULL DEFAULT 0 CHECK (max_concurrent_jobs >= 0),
    monthly_quota       bigint NOT NULL DEFAULT 0 CHECK (monthly_quota >= 0),
    allowed_servers     text[] NOT NULL DEFAULT '{}',
    max_open_sessions   integer NOT NULL DEFAULT 0 CHECK (max_open_sessions >= 0),
    -- New keys of this plan's users expire after this many days (seed 003's rotation); NULL: never.
    key_expiry_days     integer CHECK (key_expiry_days > 0),
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id           uuid PRIMARY KEY,
    email        text NOT NULL,
    display_name text NOT NULL DEFAULT '',
    roles        text[] NOT NULL DEFAULT '{}',
    disabled     boolean NOT NULL DEFAULT false,
    plan_id      text NOT NULL REFERENCES plans (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE api_keys (
    id             uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id),
    name           text NOT NULL,
    -- The part shown in lists ("sk_live_AbCd"); the key itself is never stored.
    display_prefix text NOT NULL,
    environment    text NOT NULL CHECK (environment IN ('live', 'test')),
    -- HMAC-SHA256 of the whole key under Access:KeyPepper.
    hash           bytea NOT NULL UNIQUE,
    -- [{"server":"echo","tool":"read_*"}]; empty: everything the plan allows.
    scopes         jsonb NOT NULL DEFAULT '[]',
    -- Per-key plan overrides: {"requestsPerSecond":5,"burst":10,...}; absent fields keep the user's plan.
    plan_overrides jsonb NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz,
    revoked_at     timestamptz,
    -- Rotation: the key that replaced this one, and when this one stops working.
    replaced_by    uuid REFERENCES api_keys (id),
    grace_ends_at  timestamptz,
    last_used_at   timestamptz
);
CREATE INDEX api_keys_user ON api_keys (user_id, created_at);

CREATE TABLE usage_events (
    event_id       text PRIMARY KEY,
    occurred_at    timestamptz NOT NULL,
    user_id        text NOT NULL,
    tenant_id      text NOT NULL,
    key_id         text NOT NULL,
    server         text NOT NULL,
    method         text NOT NULL,
    tool           text NOT NULL,
    session_id     text NOT NULL,
    duration_ms    double precision NOT NULL,
    status         text NOT NULL,
    request_bytes  bigint NOT NULL,
    response_bytes bigint NOT NULL,
    gateway_id     text NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_events_user_time ON usage_events (user_id, occurred_at);
CREATE INDEX usage_events_time ON usage_events (occurred_at);

-- Append-only and hash-chained: hash = SHA-256(prev_hash || canonical content), see Audit/AuditHash.cs.
CREATE TABLE audit_log (
    seq         bigint PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    target      text NOT NULL,
    ip          text NOT NULL,
    details     jsonb NOT NULL,
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

INSERT INTO plans (id, name, requests_per_second, burst, max_concurrent_jobs, monthly_quota, allowed_servers, max_open_sessions, key_expiry_days)
VALUES ('free', 'Free', 2, 5, 1, 1000, '{}', 2, NULL),
       ('pro', 'Pro', 20, 40, 8, 100000, '{}', 20, 30);
