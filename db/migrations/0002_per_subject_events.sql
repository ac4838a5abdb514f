-- Event ids become unique per subject (v:<visitor> for browser events, m:<member> for server
-- events); existing rows get their subject from the column that is set. Visitors get retired_at
-- (identify rotates visitor ids) and erasures leave tombstones.
CREATE TABLE `tombstones` (
	`subject` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `__new_events` (
	`subject` text NOT NULL,
	`id` text NOT NULL,
	`visitor_id` text,
	`member_id` text,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`url` text,
	`props` text DEFAULT '{}' NOT NULL,
	`points` integer DEFAULT 0 NOT NULL,
	`breakdown` text DEFAULT '[]' NOT NULL,
	`score_after` real DEFAULT 0 NOT NULL,
	`received_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_events`("subject", "id", "visitor_id", "member_id", "type", "at", "url", "props", "points", "breakdown", "score_after", "received_at") SELECT CASE WHEN "visitor_id" IS NOT NULL THEN 'v:' || "visitor_id" ELSE 'm:' || "member_id" END, "id", "visitor_id", "member_id", "type", "at", "url", "props", "points", "breakdown", "score_after", "received_at" FROM `events`;--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;--> statement-breakpoint
CREATE UNIQUE INDEX `events_subject_id` ON `events` (`subject`,`id`);--> statement-breakpoint
CREATE INDEX `events_visitor_at` ON `events` (`visitor_id`,`at`);--> statement-breakpoint
CREATE INDEX `events_member_at` ON `events` (`member_id`,`at`);--> statement-breakpoint
ALTER TABLE `visitors` ADD `retired_at` integer;