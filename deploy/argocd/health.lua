-- Argo CD health check for autoscaling.sagemaker.dev/SageMakerScalingPolicy.
-- Reads the kstatus conditions (Ready, Reconciling, Stalled) and status.observedGeneration.
-- Install: see deploy/argocd/README.md.

local function condition(status, conditionType)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local function messageOf(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  if c ~= nil and c.reason ~= nil and c.reason ~= "" then
    return c.reason
  end
  return fallback
end

local hs = {}
local status = obj.status
local generation = obj.metadata and obj.metadata.generation

-- The operator has not yet seen this spec: nothing in status describes it.
if status == nil or status.observedGeneration == nil
    or (generation ~= nil and generation > status.observedGeneration) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator"
  return hs
end

local ready = condition(status, "Ready")
local reconciling = condition(status, "Reconciling")
local stalled = condition(status, "Stalled")

if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = messageOf(stalled, "Stalled")
  return hs
end

if isTrue(ready) then
  if ready.reason == "Paused" then
    hs.status = "Suspended"
    hs.message = messageOf(ready, "Paused")
  else
    hs.status = "Healthy"
    hs.message = messageOf(ready, "Ready")
  end
  return hs
end

if isTrue(reconciling) then
  hs.status = "Progressing"
  hs.message = messageOf(reconciling, "Reconciling")
  return hs
end

hs.status = "Progressing"
hs.message = messageOf(ready, "Waiting for the operator")
return hs
