-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "MeetingKind" AS ENUM ('SUMMIT', 'STATE_VISIT', 'MINISTERIAL_VISIT', 'MINISTERIAL_TALKS', 'STRATEGIC_DIALOGUE', 'LEADER_CALL', 'COURTESY_CALL', 'MILITARY_TALKS', 'WORKING_GROUP', 'WORKING_LEVEL_CONSULTATION', 'JOINT_STATEMENT', 'SIGNING_CEREMONY', 'TRACK_1_5_DIALOGUE', 'TRACK_2_DIALOGUE', 'UNILATERAL_ANNOUNCEMENT');

-- CreateEnum
CREATE TYPE "Track" AS ENUM ('TRACK_1', 'TRACK_1_5', 'TRACK_2');

-- CreateEnum
CREATE TYPE "MeetingMode" AS ENUM ('IN_PERSON', 'VIDEO', 'PHONE', 'STATEMENT');

-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('DAY', 'MONTH');

-- CreateEnum
CREATE TYPE "OutcomeStatus" AS ENUM ('AGREED', 'PLANNED', 'IMPLEMENTED', 'DISCUSSED', 'DECLINED', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "Side" AS ENUM ('US', 'CN', 'OTHER');

-- CreateEnum
CREATE TYPE "MeetingRelation" AS ENUM ('FOLLOW_UP_OF', 'IMPLEMENTS_OUTCOME_OF', 'SAME_SERIES', 'SAME_TRIP', 'REVERSES');

-- CreateTable
CREATE TABLE "channel" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "channel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trip" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,

    CONSTRAINT "trip_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meeting" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "kind" "MeetingKind" NOT NULL,
    "track" "Track" NOT NULL,
    "mode" "MeetingMode" NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE,
    "date_precision" "DatePrecision" NOT NULL,
    "period_end" DATE NOT NULL,
    "city" TEXT,
    "region" TEXT,
    "country" TEXT,
    "country_code" CHAR(2),
    "venue" TEXT,
    "summary" TEXT,
    "uncertain" BOOLEAN NOT NULL DEFAULT false,
    "uncertainty_notes" TEXT,
    "trip_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meeting_channel" (
    "meeting_id" INTEGER NOT NULL,
    "channel_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "meeting_channel_pkey" PRIMARY KEY ("meeting_id","channel_id")
);

-- CreateTable
CREATE TABLE "outcome" (
    "id" SERIAL NOT NULL,
    "meeting_id" INTEGER NOT NULL,
    "channel_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "status" "OutcomeStatus" NOT NULL,
    "note" TEXT,

    CONSTRAINT "outcome_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "person" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "organization" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "participation" (
    "id" SERIAL NOT NULL,
    "meeting_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "person_id" INTEGER,
    "delegation" TEXT,
    "headcount" INTEGER,
    "role" TEXT,
    "organization_id" INTEGER,
    "side" "Side" NOT NULL,
    "note" TEXT,

    CONSTRAINT "participation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "host" (
    "meeting_id" INTEGER NOT NULL,
    "organization_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "host_pkey" PRIMARY KEY ("meeting_id","organization_id")
);

-- CreateTable
CREATE TABLE "source" (
    "id" SERIAL NOT NULL,
    "meeting_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "publisher" TEXT NOT NULL,
    "title" TEXT,
    "url" TEXT,
    "published_date" TEXT,
    "note" TEXT,

    CONSTRAINT "source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meeting_relation" (
    "from_meeting_id" INTEGER NOT NULL,
    "to_meeting_id" INTEGER NOT NULL,
    "relation" "MeetingRelation" NOT NULL,

    CONSTRAINT "meeting_relation_pkey" PRIMARY KEY ("from_meeting_id","to_meeting_id","relation")
);

-- CreateIndex
CREATE UNIQUE INDEX "channel_slug_key" ON "channel"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "channel_position_key" ON "channel"("position");

-- CreateIndex
CREATE UNIQUE INDEX "trip_key_key" ON "trip"("key");

-- CreateIndex
CREATE UNIQUE INDEX "meeting_slug_key" ON "meeting"("slug");

-- CreateIndex
CREATE INDEX "meeting_start_date_id_idx" ON "meeting"("start_date" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "meeting_period_end_idx" ON "meeting"("period_end");

-- CreateIndex
CREATE INDEX "meeting_title_id_idx" ON "meeting"("title", "id");

-- CreateIndex
CREATE INDEX "meeting_kind_idx" ON "meeting"("kind");

-- CreateIndex
CREATE INDEX "meeting_track_idx" ON "meeting"("track");

-- CreateIndex
CREATE INDEX "meeting_country_code_idx" ON "meeting"("country_code");

-- CreateIndex
CREATE INDEX "meeting_uncertain_idx" ON "meeting"("uncertain");

-- CreateIndex
CREATE INDEX "meeting_trip_id_idx" ON "meeting"("trip_id");

-- CreateIndex
CREATE INDEX "meeting_channel_channel_id_meeting_id_idx" ON "meeting_channel"("channel_id", "meeting_id");

-- CreateIndex
CREATE INDEX "outcome_channel_id_status_idx" ON "outcome"("channel_id", "status");

-- CreateIndex
CREATE INDEX "outcome_status_idx" ON "outcome"("status");

-- CreateIndex
CREATE UNIQUE INDEX "outcome_meeting_id_position_key" ON "outcome"("meeting_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "person_slug_key" ON "person"("slug");

-- CreateIndex
CREATE INDEX "person_name_idx" ON "person"("name");

-- CreateIndex
CREATE UNIQUE INDEX "organization_slug_key" ON "organization"("slug");

-- CreateIndex
CREATE INDEX "organization_name_idx" ON "organization"("name");

-- CreateIndex
CREATE INDEX "participation_person_id_side_idx" ON "participation"("person_id", "side");

-- CreateIndex
CREATE INDEX "participation_organization_id_idx" ON "participation"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "participation_meeting_id_position_key" ON "participation"("meeting_id", "position");

-- CreateIndex
CREATE INDEX "host_organization_id_meeting_id_idx" ON "host"("organization_id", "meeting_id");

-- CreateIndex
CREATE UNIQUE INDEX "source_meeting_id_position_key" ON "source"("meeting_id", "position");

-- CreateIndex
CREATE INDEX "meeting_relation_to_meeting_id_idx" ON "meeting_relation"("to_meeting_id");

-- AddForeignKey
ALTER TABLE "meeting" ADD CONSTRAINT "meeting_trip_id_fkey" FOREIGN KEY ("trip_id") REFERENCES "trip"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meeting_channel" ADD CONSTRAINT "meeting_channel_meeting_id_fkey" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meeting_channel" ADD CONSTRAINT "meeting_channel_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channel"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome" ADD CONSTRAINT "outcome_meeting_id_fkey" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome" ADD CONSTRAINT "outcome_meeting_id_channel_id_fkey" FOREIGN KEY ("meeting_id", "channel_id") REFERENCES "meeting_channel"("meeting_id", "channel_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participation" ADD CONSTRAINT "participation_meeting_id_fkey" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participation" ADD CONSTRAINT "participation_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participation" ADD CONSTRAINT "participation_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "host" ADD CONSTRAINT "host_meeting_id_fkey" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "host" ADD CONSTRAINT "host_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source" ADD CONSTRAINT "source_meeting_id_fkey" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meeting_relation" ADD CONSTRAINT "meeting_relation_from_meeting_id_fkey" FOREIGN KEY ("from_meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meeting_relation" ADD CONSTRAINT "meeting_relation_to_meeting_id_fkey" FOREIGN KEY ("to_meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;
