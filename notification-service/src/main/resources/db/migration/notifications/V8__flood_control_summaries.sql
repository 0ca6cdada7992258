-- Flood control (issue 9, item 2).

-- A summary is a delivery of reason SUMMARY: the same claims, marks, retries, cap and checks as any
-- other, but about a window of a thread rather than one comment, so it has no comment of its own.
alter table delivery alter column comment_id drop not null;
alter table delivery drop constraint delivery_reason_check;
alter table delivery add constraint delivery_reason_check
    check (reason in ('DIRECT_REPLY', 'POST_AUTHOR', 'PARTICIPANT', 'CONFIRMATION', 'SUMMARY'));
alter table delivery drop constraint delivery_status_check;
alter table delivery add constraint delivery_status_check
    check (status in ('PENDING', 'SENT', 'FAILED', 'SUPPRESSED', 'HELD', 'DROPPED', 'SKIPPED', 'CANCELLED', 'FOLDED'));
-- A summary's window opened at this time (the first thread update of the window); null for the others.
alter table delivery add column summary_window timestamptz;
alter table delivery add constraint delivery_comment_or_summary
    check ((reason = 'SUMMARY') = (comment_id is null) and (reason = 'SUMMARY') = (summary_window is not null));
-- One summary per recipient, thread and window, whoever writes it and however often.
create unique index delivery_summary_once on delivery (recipient_email, post_id, summary_window) where reason = 'SUMMARY';
-- A FOLDED delivery names the summary that carried its comment: the log shows what each summary said.
-- Retention deletes a summary with the deliveries it carried (they are as old as it, or older).
alter table delivery add column summary_id bigint references delivery (id) on delete cascade;
create index delivery_carried_by on delivery (summary_id) where summary_id is not null;

-- The current flood-control window of each participant in each thread: when it opened and how many
-- thread updates (not direct replies) it has seen; null when none was opened yet. Kept with the
-- participant, which the fan-out reads anyway, by the thread stage under the thread's lock, in
-- position order, so a replay decides the same.
alter table thread_participant add column window_opened_at timestamptz;
alter table thread_participant add column window_updates int not null default 0;
