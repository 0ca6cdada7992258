-- Mail follows the text (issue 10): an edited comment's mail carries the edited text (the sender
-- reads thread_comment.excerpt when it sends), and a deleted or hidden comment's mail not yet sent is CANCELLED.
alter table thread_comment
    add column edited_at  timestamptz,
    -- Set once, never cleared; its excerpt and author name are wiped then. The address stays: the
    -- comment still counts for the thread's participants and for who is answered by a reply to it.
    add column deleted_at timestamptz,
    -- Hidden by a moderator: its mail not yet sent is cancelled; shown again, later mail is as usual.
    add column hidden_at  timestamptz;

alter table delivery drop constraint delivery_status_check;
alter table delivery add constraint delivery_status_check
    check (status in ('PENDING', 'SENT', 'FAILED', 'SUPPRESSED', 'HELD', 'DROPPED', 'SKIPPED', 'CANCELLED'));
