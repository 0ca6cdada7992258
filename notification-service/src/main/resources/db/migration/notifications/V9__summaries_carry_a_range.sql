-- Flood control without a row per folded comment (issue 9, hot threads).

-- A summary carries the comments of its thread from summary_from_position (its first folded
-- update) up to summary_until_position (set by the thread stage when the recipient's next window
-- opens) or summary_through_position (the thread's last recorded position when a sender claimed
-- it, under the thread's lock), whichever is lower, that are thread updates for its recipient (not
-- theirs, not a direct reply to them, not fanned out late on their own) and still stand. The
-- FOLDED row per recipient and comment is gone: on a thread of 10,000 participants it was 10,000
-- row writes per comment.
alter table delivery add column summary_from_position int;
alter table delivery add column summary_until_position int;
alter table delivery add column summary_through_position int;

-- Converted, not kept side by side: every summary gets its range from the rows that named it
-- (FOLDED, or CANCELLED after their comment was withdrawn), so the log and the sender read one form.
-- A summary a sender has had (claimed, tried or finished) is fixed to what it carried; one whose
-- window is no longer its recipient's current one ends at its last folded comment; one still open
-- keeps taking the updates of its window.
with carried as (
    select d.summary_id, min(c.position) as first, max(c.position) as last
      from delivery d join thread_comment c on c.comment_id = d.comment_id
     where d.summary_id is not null
     group by d.summary_id)
update delivery s
   set summary_from_position = carried.first,
       summary_through_position = case when s.status not in ('PENDING', 'HELD') or s.attempts > 0 or s.claim_token is not null
                                       then carried.last end,
       summary_until_position = case when not exists (select 1 from thread_participant p
                                                       where p.post_id = s.post_id and p.email = s.recipient_email
                                                         and p.window_opened_at = s.summary_window)
                                     then carried.last end
  from carried
 where carried.summary_id = s.id;
delete from delivery where status = 'FOLDED';
alter table delivery drop column summary_id;

-- The sender claims direct replies first, then summaries, then the rest: each claim walks its own
-- index in due order, none sorts the due rows of a backlog.
create index delivery_due_direct_replies on delivery (next_attempt_at, id) where status = 'PENDING' and reason = 'DIRECT_REPLY';
create index delivery_due_summaries on delivery (next_attempt_at, id) where status = 'PENDING' and reason = 'SUMMARY';
create index delivery_due_others on delivery (next_attempt_at, id)
    where status = 'PENDING' and reason not in ('DIRECT_REPLY', 'SUMMARY');
-- Retention keeps a closed thread's comments while a summary that may carry them waits.
create index delivery_waiting_summaries on delivery (post_id) where reason = 'SUMMARY' and status in ('PENDING', 'HELD');
