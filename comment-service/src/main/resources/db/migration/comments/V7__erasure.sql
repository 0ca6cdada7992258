-- Erasure of a person (issue 10): the erasure events applied here, by event id, so a replayed
-- request changes nothing (a later comment from the same address is not erased by a replay).
create table erasure_applied (
    event_id   uuid        primary key,
    applied_at timestamptz not null default now()
);

-- Finding an address's comments (erasure, export) without reading every comment.
create index comment_author_email on comment (lower(author_email));
