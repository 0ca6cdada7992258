-- Moderation (issue 10): the post's author and operators hide, show again or delete its comments.

-- Who may moderate a post's comments besides operators: the account whose address is the post's
-- author address (post-service takes it from the author's account), normalized (trimmed,
-- lower-case), from the post events. Null in rows written before this migration until the post's
-- event is read again (the listener re-reads the topic from its start while any row lacks it).
alter table post_replica add column author_email text;

-- A hidden comment keeps its place as "[hidden]"; its text stays here so a moderator can show it again.
alter table comment
    add column hidden_at timestamptz,
    -- The account (Account.id, never an address) that hid it.
    add column hidden_by text;
