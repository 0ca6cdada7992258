-- A post and its author's address (private: it leaves this service only on the internal topic).
create table post (
    id            uuid         primary key,
    slug          varchar(120) not null unique,
    title         varchar(200) not null,
    body          text         not null,
    author_name   varchar(100) not null,
    author_email  varchar(254) not null,
    published_at  timestamptz  not null,
    comments_open boolean      not null default true,
    -- Bumped on every change; consumers keep the state with the highest revision.
    revision      bigint       not null default 1
);

-- GET /api/posts lists newest first.
create index post_newest_first on post (published_at desc, id desc);
