CREATE TABLE `member_search` (
	`id` integer PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_search_member_id_unique` ON `member_search` (`member_id`);