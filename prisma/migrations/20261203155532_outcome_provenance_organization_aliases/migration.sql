-- Issue 13: provenance per outcome (whose readout claims it, which of the record's sources assert
-- it) and organisation aliases (one body, one organisation, whatever name a source uses).

-- CreateEnum
CREATE TYPE "Asserter" AS ENUM ('US', 'CN', 'JOINT', 'THIRD_PARTY');

-- AlterTable
ALTER TABLE "outcome" ADD COLUMN     "asserted_by" "Asserter"[] DEFAULT ARRAY[]::"Asserter"[],
ADD COLUMN     "source_positions" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- CreateTable
CREATE TABLE "organization_alias" (
    "id" SERIAL NOT NULL,
    "organization_id" INTEGER NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "organization_alias_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "organization_alias_slug_key" ON "organization_alias"("slug");

-- CreateIndex
CREATE INDEX "organization_alias_organization_id_idx" ON "organization_alias"("organization_id");

-- CreateIndex
CREATE INDEX "organization_alias_name_trgm_idx" ON "organization_alias" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "outcome_asserted_by_idx" ON "outcome" USING GIN ("asserted_by");

-- AddForeignKey
ALTER TABLE "organization_alias" ADD CONSTRAINT "organization_alias_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Aliases change what names resolve to: servers drop what they cached, as for the other tables
-- (migration change_notifications).
CREATE TRIGGER organization_alias_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organization_alias"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
