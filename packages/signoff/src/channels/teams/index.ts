export { TeamsChannel, DM, type TeamsChannelOptions } from './teams-channel.js'
export { teamsAppPackage, teamsManifest, teamsManifestWarnings, type TeamsManifestOptions } from './teams-manifest.js'
export { TeamsWebhookChannel, type TeamsWebhookChannelOptions } from './teams-webhook-channel.js'
export { ADAPTIVE_CARD, COMMENT_INPUT, TEAMS_MESSAGE_LIMIT_BYTES, VERB, activityBytes, cardActivity, fittedCard, messageCard, requestActivity, teamsCard, type CardActivity, type TeamsCardOptions } from './teams-card.js'
