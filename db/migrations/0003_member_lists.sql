CREATE TABLE `member_import_rows` (
	`import_id` text NOT NULL,
	`row` integer NOT NULL,
	`member_id` text NOT NULL,
	`traits` text NOT NULL,
	`subject_key` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`import_id`, `row`)
);
--> statement-breakpoint
CREATE INDEX `member_import_rows_created` ON `member_import_rows` (`created_at`);--> statement-breakpoint
DROP INDEX `members_score`;--> statement-breakpoint
CREATE INDEX `members_score_active` ON `members` (`score`,`last_active_at`,`id`);--> statement-breakpoint
CREATE INDEX `members_active` ON `members` (`last_active_at`,`id`);