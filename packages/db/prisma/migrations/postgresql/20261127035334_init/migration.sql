-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Zone" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "centerLat" DOUBLE PRECISION NOT NULL,
    "centerLon" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Zone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Store" (
    "id" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "lat" DOUBLE PRECISION NOT NULL,
    "lon" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Store_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rider" (
    "id" TEXT NOT NULL,
    "zoneId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'off_shift',
    "lat" DOUBLE PRECISION,
    "lon" DOUBLE PRECISION,
    "speedKmh" DOUBLE PRECISION,
    "onShift" BOOLEAN NOT NULL DEFAULT false,
    "shiftEnd" TIMESTAMP(3),
    "lastEventId" TEXT,
    "lastEventTs" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Rider_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shift" (
    "id" TEXT NOT NULL,
    "riderId" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "plannedEnd" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Shift_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL,
    "storeLat" DOUBLE PRECISION NOT NULL,
    "storeLon" DOUBLE PRECISION NOT NULL,
    "dropLat" DOUBLE PRECISION NOT NULL,
    "dropLon" DOUBLE PRECISION NOT NULL,
    "placedAt" TIMESTAMP(3) NOT NULL,
    "expectedReadyAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "readyAt" TIMESTAMP(3),
    "assignedAt" TIMESTAMP(3),
    "riderId" TEXT,
    "assignmentId" TEXT,
    "pickedUpAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "clickToDoorMin" DOUBLE PRECISION,
    "cancelledAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "lastEventId" TEXT NOT NULL,
    "lastEventTs" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Assignment" (
    "id" TEXT NOT NULL,
    "riderId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "orderIds" TEXT NOT NULL,
    "plannedPickupAt" TIMESTAMP(3) NOT NULL,
    "plannedDropoffsJson" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "eventId" TEXT NOT NULL,

    CONSTRAINT "Assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RosterPlan" (
    "id" TEXT NOT NULL,
    "modelVersion" TEXT NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "horizonMin" INTEGER NOT NULL,
    "zonesJson" TEXT NOT NULL,
    "movesJson" TEXT NOT NULL,
    "callInsJson" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RosterPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'demand-forecast',
    "trainedFrom" TIMESTAMP(3),
    "trainedTo" TIMESTAMP(3),
    "paramsJson" TEXT NOT NULL DEFAULT '{}',
    "artifactUri" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelMetric" (
    "id" SERIAL NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "split" TEXT NOT NULL DEFAULT 'validation',
    "value" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelMetric_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "providerMessageId" TEXT,
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SimulationRun" (
    "id" TEXT NOT NULL,
    "seed" INTEGER NOT NULL,
    "speed" DOUBLE PRECISION NOT NULL,
    "paramsJson" TEXT NOT NULL DEFAULT '{}',
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "ordersCreated" INTEGER NOT NULL DEFAULT 0,
    "ordersDelivered" INTEGER NOT NULL DEFAULT 0,
    "ordersCancelled" INTEGER NOT NULL DEFAULT 0,
    "avgClickToDoorMin" DOUBLE PRECISION,
    "p90ClickToDoorMin" DOUBLE PRECISION,
    "kpisJson" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "SimulationRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "eventId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset" TEXT NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedEvent_pkey" PRIMARY KEY ("eventId")
);

-- CreateIndex
CREATE INDEX "Store_zoneId_idx" ON "Store"("zoneId");

-- CreateIndex
CREATE INDEX "Rider_zoneId_status_idx" ON "Rider"("zoneId", "status");

-- CreateIndex
CREATE INDEX "Shift_riderId_startedAt_idx" ON "Shift"("riderId", "startedAt");

-- CreateIndex
CREATE INDEX "Order_status_idx" ON "Order"("status");

-- CreateIndex
CREATE INDEX "Order_zoneId_placedAt_idx" ON "Order"("zoneId", "placedAt");

-- CreateIndex
CREATE INDEX "Order_riderId_idx" ON "Order"("riderId");

-- CreateIndex
CREATE UNIQUE INDEX "Assignment_eventId_key" ON "Assignment"("eventId");

-- CreateIndex
CREATE INDEX "Assignment_riderId_createdAt_idx" ON "Assignment"("riderId", "createdAt");

-- CreateIndex
CREATE INDEX "RosterPlan_bucketStart_idx" ON "RosterPlan"("bucketStart");

-- CreateIndex
CREATE UNIQUE INDEX "ModelMetric_modelVersionId_name_split_key" ON "ModelMetric"("modelVersionId", "name", "split");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_idempotencyKey_key" ON "Notification"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Notification_status_idx" ON "Notification"("status");

-- AddForeignKey
ALTER TABLE "Store" ADD CONSTRAINT "Store_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Shift" ADD CONSTRAINT "Shift_riderId_fkey" FOREIGN KEY ("riderId") REFERENCES "Rider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelMetric" ADD CONSTRAINT "ModelMetric_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

