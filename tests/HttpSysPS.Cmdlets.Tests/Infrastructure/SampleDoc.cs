namespace HttpSysPS.Cmdlets.Tests.Infrastructure;

/// <summary>A correct platyPS document for the fixture cmdlet Set-Widget; tests break copies of it on purpose.</summary>
public static class SampleDoc
{
    /// <summary>The Markdown text.</summary>
    public const string SetWidget = """
        ---
        external help file: HttpSysPS.Cmdlets.dll-Help.xml
        Module Name: HttpSysPS
        online version:
        schema: 2.0.0
        ---

        # Set-Widget

        ## SYNOPSIS
        Sets the size of a widget.

        ## SYNTAX

        ### ByName (Default)
        ```
        Set-Widget [-Name] <String> -Size <Int32> [-PassThru] [-ConfigPath <String>] [-WhatIf] [-Confirm] [<CommonParameters>]
        ```

        ### ByObject
        ```
        Set-Widget -InputObject <Widget> -Size <Int32> [-PassThru] [-ConfigPath <String>] [-WhatIf] [-Confirm] [<CommonParameters>]
        ```

        ## DESCRIPTION
        Changes the size of one widget
        in the store.

        ## EXAMPLES

        ### Example 1: Grow a widget
        ```powershell
        PS> Set-Widget -Name left -Size 3
        ```

        Sets the size of the widget named left to 3.

        ### Example 2: From the pipeline
        ```powershell
        PS> Get-Widget left | Set-Widget -Size 4 -PassThru
        ```

        ## PARAMETERS

        ### -Name
        The widget's name.

        ```yaml
        Type: String
        Parameter Sets: ByName
        Aliases: WidgetName

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -InputObject
        A widget from Get-Widget.

        ```yaml
        Type: Widget
        Parameter Sets: ByObject
        Aliases:

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: True (ByValue)
        Accept wildcard characters: False
        ```

        ### -Size
        The new size.

        ```yaml
        Type: Int32
        Parameter Sets: (All)
        Aliases:
        Accepted values: 1, 2, 3, 4

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -PassThru
        Writes the changed widget.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -ConfigPath
        The store file.

        ```yaml
        Type: String
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: True
        ```

        ### -WhatIf
        Shows what would happen if the cmdlet runs.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases: wi

        Required: False
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### FixtureCmdlets.Good.Widget
        A widget to change.

        ## OUTPUTS

        ### FixtureCmdlets.Good.Widget
        With -PassThru.

        ## NOTES
        Needs write access to the store.

        ## RELATED LINKS

        [Get-Widget](Get-Widget.md)
        """;
}
