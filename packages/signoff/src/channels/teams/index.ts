export { TeamsChannel, DM, type TeamsChannelOptions } from './teams-channel.js'
export { teamsChannels, type TeamsSettings } from './teams-channels.js'
export { TeamsWebhookChannel, type TeamsWebhookChannelOptions } from './teams-webhook-channel.js'
export { ADAPTIVE_CARD, COMMENT_INPUT, TEAMS_MESSAGE_LIMIT_BYTES, VERB, activityBytes, cardActivity, messageCard, requestActivity, teamsCard, type CardActivity, type TeamsCardOptions } from './teams-card.js'
