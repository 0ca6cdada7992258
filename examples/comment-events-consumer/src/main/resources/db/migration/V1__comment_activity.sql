-- Event ids already applied: the deduplication key, written in the same transaction as the effect.
create table processed_event (
    event_id     uuid primary key,
    processed_at timestamptz not null default now()
);

create table post_activity (
    post_id         uuid primary key,
    comments        integer not null,
    last_position   integer not null,
    last_comment_at timestamptz
);
