-- Fewer index entries per delivery write (issue 9). An insert writes an entry into every index whose
-- predicate (if any) its row meets, and so do a claim and a SENT mark: they change columns that
-- indexes hold (status, next_attempt_at, claim_token), so neither is a HOT update. An insert or a
-- claim of a PENDING row wrote 7 entries and now writes 6; a SENT mark wrote 5 and now writes 4.

-- Every PENDING row by due time: the senders' one queue until V9 split it into three lanes, each
-- claimed along its own index (delivery_due_direct_replies, _summaries, _others). Nothing reads it
-- any more: the pending gauge counts along delivery_claimed, which holds the same rows.
drop index delivery_due;

-- (status, id) over every row, SENT ones included, took an entry from each of the millions of SENT
-- marks. What reads it asks for rows that are not SENT: the oldest pending delivery (the age gauge),
-- the failed ones to retry, the log filtered by an unfinished or unsent status. The log filtered by
-- SENT walks the primary key instead, where nearly every row is SENT.
create index delivery_unsent_by_status on delivery (status, id) where status <> 'SENT';
drop index delivery_by_status;
