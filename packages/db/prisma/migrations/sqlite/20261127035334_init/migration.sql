-- CreateTable
CREATE TABLE "Zone" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "centerLat" REAL NOT NULL,
    "centerLon" REAL NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Store" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "zoneId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "lat" REAL NOT NULL,
    "lon" REAL NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Store_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Rider" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "zoneId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'off_shift',
    "lat" REAL,
    "lon" REAL,
    "speedKmh" REAL,
    "onShift" BOOLEAN NOT NULL DEFAULT false,
    "shiftEnd" DATETIME,
    "lastEventId" TEXT,
    "lastEventTs" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Shift" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "riderId" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "plannedEnd" DATETIME,
    "endedAt" DATETIME,
    CONSTRAINT "Shift_riderId_fkey" FOREIGN KEY ("riderId") REFERENCES "Rider" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL,
    "storeLat" REAL NOT NULL,
    "storeLon" REAL NOT NULL,
    "dropLat" REAL NOT NULL,
    "dropLon" REAL NOT NULL,
    "placedAt" DATETIME NOT NULL,
    "expectedReadyAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "readyAt" DATETIME,
    "assignedAt" DATETIME,
    "riderId" TEXT,
    "assignmentId" TEXT,
    "pickedUpAt" DATETIME,
    "deliveredAt" DATETIME,
    "clickToDoorMin" REAL,
    "cancelledAt" DATETIME,
    "cancelReason" TEXT,
    "lastEventId" TEXT NOT NULL,
    "lastEventTs" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Assignment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "riderId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "orderIds" TEXT NOT NULL,
    "plannedPickupAt" DATETIME NOT NULL,
    "plannedDropoffsJson" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "eventId" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "RosterPlan" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "modelVersion" TEXT NOT NULL,
    "bucketStart" DATETIME NOT NULL,
    "horizonMin" INTEGER NOT NULL,
    "zonesJson" TEXT NOT NULL,
    "movesJson" TEXT NOT NULL,
    "callInsJson" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL DEFAULT 'demand-forecast',
    "trainedFrom" DATETIME,
    "trainedTo" DATETIME,
    "paramsJson" TEXT NOT NULL DEFAULT '{}',
    "artifactUri" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ModelMetric" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "modelVersionId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "split" TEXT NOT NULL DEFAULT 'validation',
    "value" REAL NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ModelMetric_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "claimedAt" DATETIME,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SimulationRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "seed" INTEGER NOT NULL,
    "speed" REAL NOT NULL,
    "paramsJson" TEXT NOT NULL DEFAULT '{}',
    "startedAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "ordersCreated" INTEGER NOT NULL DEFAULT 0,
    "ordersDelivered" INTEGER NOT NULL DEFAULT 0,
    "ordersCancelled" INTEGER NOT NULL DEFAULT 0,
    "avgClickToDoorMin" REAL,
    "p90ClickToDoorMin" REAL,
    "kpisJson" TEXT NOT NULL DEFAULT '{}'
);

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "eventId" TEXT NOT NULL PRIMARY KEY,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset" TEXT NOT NULL,
    "processedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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

