-- What the thread page and the home page show (issue 8).

-- The post's text, author name and date, from the post events (they carry the whole state).
-- Null (body is the marker) in rows written before this migration until the post's event is read again: the service
-- re-reads the post topic from its start once when any row lacks them (PostEventListener), and
-- a replayed event of the revision already held fills them (PostReplica.apply). The author's
-- address is in the events too, and stays out of this table: no page needs it.
alter table post_replica
    add column body         text,
    add column author_name  text,
    add column published_at timestamptz;

-- The thread page's address is /posts/{slug}; slugs are unique in post-service, not here (a slug
-- may move from one post to another between two events), so a plain index.
create index post_replica_slug on post_replica (slug);
-- The home page: newest first.
create index post_replica_newest on post_replica (published_at desc nulls last, id);

-- The thread page is paged by top-level comment, each shown with its replies: root_id is the
-- top-level comment a reply belongs to (null for a top-level comment), so one page reads its
-- roots along one index and their replies along another, whatever the thread's size.
alter table comment add column root_id uuid references comment (id);

with recursive tree (id, root) as (
    select id, id from comment where parent_id is null
    union all
    select c.id, t.root from comment c join tree t on c.parent_id = t.id
)
update comment set root_id = tree.root from tree where comment.id = tree.id and comment.parent_id is not null;

create index comment_roots on comment (post_id, position) where parent_id is null;
create index comment_subtree on comment (root_id, position) where root_id is not null;
