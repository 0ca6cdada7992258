-- One row per post, built from post events; fanned_out_position is how far the thread's
-- comments have been turned into deliveries (comments are fanned out strictly in position order).
create table thread (
    post_id             uuid primary key,
    slug                text   not null,
    title               text   not null,
    author_name         text   not null,
    author_email        text   not null, -- normalized: trimmed, lower-case
    revision            bigint not null,
    fanned_out_position int    not null default 0
);

-- Every comment event, kept so a later comment can find who came before it.
create table thread_comment (
    comment_id   uuid        primary key,
    post_id      uuid        not null,
    position     int         not null,
    parent_id    uuid,
    author_name  text        not null,
    author_email text        not null, -- normalized
    notify       boolean     not null,
    excerpt      text        not null,
    created_at   timestamptz not null,
    constraint thread_comment_position unique (post_id, position)
);
-- Serves the candidates query: the latest comment of each address in a thread.
create index thread_comment_authors on thread_comment (post_id, author_email, position desc);

-- The idempotent consumer's log, written in the same transaction as the work it guards.
create table processed_event (
    event_id     uuid        primary key,
    processed_at timestamptz not null default now()
);

-- post_id null = every thread; NULLS NOT DISTINCT makes "everything" recordable only once too.
create table unsubscription (
    email      text        not null, -- normalized
    post_id    uuid,
    created_at timestamptz not null default now(),
    constraint unsubscription_once unique nulls not distinct (email, post_id)
);

-- The delivery log: one row per (comment, recipient), written by the thread stage and sent by
-- whichever instance claims it first.
create table delivery (
    id              bigserial   primary key,
    comment_id      uuid        not null,
    post_id         uuid        not null,
    recipient_email text        not null, -- normalized
    recipient_name  text        not null,
    reason          text        not null check (reason in ('DIRECT_REPLY', 'POST_AUTHOR', 'PARTICIPANT')),
    status          text        not null default 'PENDING' check (status in ('PENDING', 'SENT', 'FAILED', 'SUPPRESSED')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    created_at      timestamptz not null default now(),
    sent_at         timestamptz,
    constraint delivery_once unique (comment_id, recipient_email)
);
-- Only pending rows are ever polled; the sent millions stay out of this index.
create index delivery_due on delivery (next_attempt_at, id) where status = 'PENDING';
create index delivery_by_status on delivery (status, id);
