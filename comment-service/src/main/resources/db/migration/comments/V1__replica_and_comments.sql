-- What this service knows about posts, built from the post topic only. The row is also the
-- lock that serializes one post's comment writers, and comment_count hands out positions.
create table post_replica (
    id            uuid    primary key,
    slug          text    not null,
    title         text    not null,
    comments_open boolean not null,
    -- The post's revision this row reflects; an event with a lower or equal one is ignored.
    revision      bigint  not null,
    comment_count integer not null default 0
);

-- A comment; the author's address is private (it leaves this service only on the internal topic).
create table comment (
    id           uuid         primary key,
    post_id      uuid         not null references post_replica (id),
    parent_id    uuid         references comment (id),
    -- 1, 2, 3... per post, in the order the comments were accepted: the thread order.
    position     integer      not null,
    -- 0 for a top-level comment, the parent's depth + 1 for a reply.
    depth        integer      not null,
    author_name  varchar(100) not null,
    author_email varchar(254) not null,
    body         text         not null,
    notify       boolean      not null,
    created_at   timestamptz  not null,
    constraint comment_position_unique unique (post_id, position)
);
