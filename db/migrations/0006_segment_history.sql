CREATE TABLE `segment_counts` (
	`day` integer PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`population` integer
);
--> statement-breakpoint
CREATE TABLE `segment_days` (
	`segment` text NOT NULL,
	`day` integer NOT NULL,
	`size` integer NOT NULL,
	`entered` integer NOT NULL,
	`exited` integer NOT NULL,
	`active` integer NOT NULL,
	`reach28` integer NOT NULL,
	`converters` integer NOT NULL,
	PRIMARY KEY(`segment`, `day`)
);
--> statement-breakpoint
CREATE INDEX `segment_days_day` ON `segment_days` (`day`);--> statement-breakpoint
CREATE TABLE `segment_members` (
	`subject` text PRIMARY KEY NOT NULL,
	`segment` text NOT NULL,
	`since` integer NOT NULL
);
