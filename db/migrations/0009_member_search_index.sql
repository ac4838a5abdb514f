-- Free-text search over member traits (GET /api/members?q=). Hand-written: drizzle-kit cannot
-- express a virtual table or triggers. `member_search` (0008) holds each member's text trait
-- values joined by line breaks; `member_search_fts` is a trigram FTS5 index over it (external
-- content: the text is stored once, in member_search). Triggers on `members` keep both in step
-- with every trait write in the same statement (identify, server traits, import, erasure), so no
-- writer can forget them. The text expression is the same in every trigger and the backfill.
-- secure-delete: a deleted member's trigrams are removed from the index b-tree at once instead
-- of lingering as delete markers until segments merge (erasure must not leave text behind).
CREATE VIRTUAL TABLE `member_search_fts` USING fts5(body, content='member_search', content_rowid='id', tokenize='trigram', detail='none');
--> statement-breakpoint
INSERT INTO `member_search_fts` (`member_search_fts`, `rank`) VALUES ('secure-delete', 1);
--> statement-breakpoint
CREATE TRIGGER `member_search_fts_insert` AFTER INSERT ON `member_search` BEGIN
  INSERT INTO `member_search_fts` (rowid, body) VALUES (new.id, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `member_search_fts_delete` AFTER DELETE ON `member_search` BEGIN
  INSERT INTO `member_search_fts` (`member_search_fts`, rowid, body) VALUES ('delete', old.id, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER `member_search_fts_update` AFTER UPDATE ON `member_search` BEGIN
  INSERT INTO `member_search_fts` (`member_search_fts`, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO `member_search_fts` (rowid, body) VALUES (new.id, new.body);
END;
--> statement-breakpoint
INSERT INTO `member_search` (member_id, body)
  SELECT id, body FROM (
    SELECT m.id AS id, (SELECT group_concat(j.value, char(10)) FROM json_each(CASE WHEN json_valid(m.traits) THEN m.traits ELSE '{}' END) j WHERE j.type = 'text' AND j.value <> '') AS body
    FROM `members` m
  ) WHERE body IS NOT NULL;
--> statement-breakpoint
CREATE TRIGGER `members_search_insert` AFTER INSERT ON `members` BEGIN
  INSERT INTO `member_search` (member_id, body)
    SELECT new.id, body FROM (SELECT group_concat(j.value, char(10)) AS body FROM json_each(CASE WHEN json_valid(new.traits) THEN new.traits ELSE '{}' END) j WHERE j.type = 'text' AND j.value <> '')
    WHERE body IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `members_search_update` AFTER UPDATE OF id, traits ON `members` WHEN old.traits IS NOT new.traits OR old.id IS NOT new.id BEGIN
  DELETE FROM `member_search` WHERE member_id = old.id;
  INSERT INTO `member_search` (member_id, body)
    SELECT new.id, body FROM (SELECT group_concat(j.value, char(10)) AS body FROM json_each(CASE WHEN json_valid(new.traits) THEN new.traits ELSE '{}' END) j WHERE j.type = 'text' AND j.value <> '')
    WHERE body IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `members_search_delete` AFTER DELETE ON `members` BEGIN
  DELETE FROM `member_search` WHERE member_id = old.id;
END;
