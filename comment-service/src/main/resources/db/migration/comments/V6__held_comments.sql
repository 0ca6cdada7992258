-- Holding first-time commenters for approval (issue 10). The setting is this service's own: it is
-- about comments, and the post's author already moderates them here; post-service knows nothing of it.
create table post_moderation (
    post_id                    uuid        primary key references post_replica (id),
    hold_first_time_commenters boolean     not null,
    updated_at                 timestamptz not null,
    -- The account (Account.id, never an address) that last changed it.
    updated_by                 text        not null
);

-- A comment waiting for a moderator. It has no position and no event yet: nobody downstream knows
-- it, so it mails nobody and a rejected one leaves no trace outside this table. Approval moves it
-- into comment at the thread's next position and publishes its CommentPosted then, so it reaches
-- exactly the recipients a comment posted at that moment would.
create table held_comment (
    id               uuid         primary key,
    post_id          uuid         not null references post_replica (id),
    parent_id        uuid         references comment (id),
    author_name      varchar(100) not null,
    author_email     varchar(254) not null,
    body             text         not null,
    notify           boolean      not null,
    created_at       timestamptz  not null,
    edit_secret_hash bytea        not null
);
create index held_comment_queue on held_comment (post_id, created_at);

-- "Has this address an approved comment on this post?" is asked for every comment on a holding
-- post; without it the question reads the whole thread.
create index comment_author_per_post on comment (post_id, lower(author_email));
