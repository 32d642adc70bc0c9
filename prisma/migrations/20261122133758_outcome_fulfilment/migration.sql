-- CreateEnum
CREATE TYPE "FulfilmentBasis" AS ENUM ('RELATION', 'NOTE');

-- CreateTable
CREATE TABLE "outcome_fulfilment" (
    "outcome_id" INTEGER NOT NULL,
    "meeting_id" INTEGER NOT NULL,
    "basis" "FulfilmentBasis" NOT NULL,

    CONSTRAINT "outcome_fulfilment_pkey" PRIMARY KEY ("outcome_id","meeting_id")
);

-- CreateIndex
CREATE INDEX "outcome_fulfilment_meeting_id_idx" ON "outcome_fulfilment"("meeting_id");

-- AddForeignKey
ALTER TABLE "outcome_fulfilment" ADD CONSTRAINT "outcome_fulfilment_outcome_id_fkey" FOREIGN KEY ("outcome_id") REFERENCES "outcome"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome_fulfilment" ADD CONSTRAINT "outcome_fulfilment_meeting_id_fkey" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;
