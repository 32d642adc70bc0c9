-- CreateIndex
CREATE INDEX "meeting_mode_idx" ON "meeting"("mode");
